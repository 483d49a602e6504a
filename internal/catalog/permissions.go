package catalog

import "github.com/solodestination/api/internal/identity"

// canManage reports whether who may create, change, publish and archive
// listings and see unpublished ones: tourism staff and admins.
func canManage(who identity.Actor) bool { return who.IsStaffOf(identity.DeptTourism) }

// canSee reports whether who may read a listing in status st; the public
// sees published listings only.
func canSee(who identity.Actor, st Status) bool { return st == Published || canManage(who) }
