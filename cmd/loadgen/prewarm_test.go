package main

import "testing"

func TestFitInBuffersSendsWhatDoesNotFitToThePageCache(t *testing.T) {
	rels := []prewarmed{
		{name: "listings_pkey", bytes: 40},
		{name: "listings", bytes: 70},
		{name: "listing_name_words_pkey", bytes: 50},
	}
	fitInBuffers(rels, 100)
	got := []bool{rels[0].pageCache, rels[1].pageCache, rels[2].pageCache}
	want := []bool{false, true, false}
	for i := range want {
		if got[i] != want[i] {
			t.Fatalf("to the page cache = %v, want %v", got, want)
		}
	}
}
