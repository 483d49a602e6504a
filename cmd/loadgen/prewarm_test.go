package main

import "testing"

func TestFitInBuffersKeepsOrderAndSkipsWhatDoesNotFit(t *testing.T) {
	rels := []PrewarmedRelation{
		{Name: "listings_pkey", Bytes: 40},
		{Name: "listings", Bytes: 70},
		{Name: "listing_name_words_pkey", Bytes: 50},
	}
	fitInBuffers(rels, 100)
	got := []bool{rels[0].Skipped, rels[1].Skipped, rels[2].Skipped}
	want := []bool{false, true, false}
	for i := range want {
		if got[i] != want[i] {
			t.Fatalf("skipped = %v, want %v", got, want)
		}
	}
}
