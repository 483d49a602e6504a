package permit

import (
	"fmt"

	"github.com/solodestination/api/internal/notification"
)

var statusNames = map[Status]Text{
	Draft:         {ID: "draf", EN: "draft"},
	Submitted:     {ID: "diajukan", EN: "submitted"},
	InReview:      {ID: "sedang diproses", EN: "in review"},
	NeedsRevision: {ID: "perlu perbaikan", EN: "needs revision"},
	Approved:      {ID: "disetujui", EN: "approved"},
	Rejected:      {ID: "ditolak", EN: "rejected"},
}

// statusMessage tells the applicant where their application went, in both
// languages. One message per move (keyed by the move), so a retried
// transaction never notifies twice.
func statusMessage(r applicationRow, t Type, from, to Status, note string) notification.Message {
	ref := str(r.TrackingNumber)
	if ref == "" {
		ref = r.ID.String()
	}
	name := statusNames[to]
	body := notification.Text{
		ID: fmt.Sprintf("Permohonan %s %s kini %s.", t.Name.ID, ref, name.ID),
		EN: fmt.Sprintf("Your %s application %s is now %s.", t.Name.EN, ref, name.EN),
	}
	switch {
	case to == Approved && r.PermitNumber != nil:
		body.ID += fmt.Sprintf(" Nomor izin: %s.", *r.PermitNumber)
		body.EN += fmt.Sprintf(" Permit number: %s.", *r.PermitNumber)
	case note != "":
		body.ID += " Catatan petugas: " + note
		body.EN += " Note from the office: " + note
	}
	return notification.Message{
		UserID: r.UserID, Kind: "permit_" + string(to),
		Title: notification.Text{ID: "Status permohonan izin: " + name.ID, EN: "Permit application " + name.EN},
		Body:  body, Entity: "permit_application", EntityID: r.ID.String(),
		DedupeKey: fmt.Sprintf("permit:%s:%s:%s:%s", r.ID, from, to, r.UpdatedAt.Format("20060102T150405.000000000")),
	}
}
