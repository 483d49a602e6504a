package tax

// ownsObject: a citizen owns a tax object when their verified NIK's blind
// index is the object owner's. A caller without a verified profile owns
// nothing (an empty index never matches).
func ownsObject(callerIndex, ownerIndex string) bool {
	return callerIndex != "" && callerIndex == ownerIndex
}
