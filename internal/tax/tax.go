// Package tax is the city's local taxes for citizens: a citizen profile
// that proves whose NIK an account holds, tax objects by NOP with their
// owner's NIK, and bills whose late-payment penalty is computed as of today
// in Asia/Jakarta by the rule in force for their due date (pkg/penalty).
//
// A NIK is personal data that unlocks a person's civil record: it is stored
// only encrypted (with a blind index for equality and the masked form), and
// every value that leaves this package carries nik.NIK or the masked string,
// never the digits.
package tax

import (
	"time"

	"github.com/google/uuid"

	"github.com/solodestination/api/pkg/civil"
	"github.com/solodestination/api/pkg/nop"
	"github.com/solodestination/api/pkg/penalty"
)

// Type is the kind of local tax an object is assessed for.
type Type string

// The tax types of the contract.
const (
	PBB          Type = "pbb" // land and building tax (PBB-P2)
	PBJTRestoran Type = "pbjt_restoran"
	PBJTHotel    Type = "pbjt_hotel"
	Reklame      Type = "reklame"
	Parkir       Type = "parkir"
	Hiburan      Type = "hiburan"
)

// Types lists every tax type, in the contract's order.
var Types = []Type{PBB, PBJTRestoran, PBJTHotel, Reklame, Parkir, Hiburan}

func validType(t string) bool {
	for _, x := range Types {
		if string(x) == t {
			return true
		}
	}
	return false
}

// ProfileStatus is where a citizen profile is in its review.
type ProfileStatus string

// Profile statuses: submitted profiles wait as pending until revenue staff
// verify or reject them.
const (
	ProfilePending  ProfileStatus = "pending"
	ProfileVerified ProfileStatus = "verified"
	ProfileRejected ProfileStatus = "rejected"
)

// Profile is a user's claim to a NIK. NIKMasked is all of the number that
// ever leaves the package.
type Profile struct {
	UserID       uuid.UUID
	NIKMasked    string
	FullName     string
	BirthDate    civil.Date
	Status       ProfileStatus
	RejectReason string
	SubmittedAt  time.Time
	ReviewedAt   *time.Time
}

// Object is a tax object: a plot with its building, a restaurant, a hotel,
// a billboard…, identified by its NOP.
type Object struct {
	ID             uuid.UUID
	NOP            nop.NOP
	Type           Type
	Address        string
	OwnerName      string
	OwnerNIKMasked string
	CreatedAt      time.Time
	UpdatedAt      time.Time
}

// BillStatus is the payment state of a bill.
type BillStatus string

// Bill statuses. A bill is created unpaid and becomes paid once, through
// MarkPaid; pending and cancelled are reserved by the contract.
const (
	BillUnpaid    BillStatus = "unpaid"
	BillPending   BillStatus = "pending"
	BillPaid      BillStatus = "paid"
	BillCancelled BillStatus = "cancelled"
)

// Bill is a tax assessment of one object for one period (a year for PBB,
// a month for the self-assessed taxes), with its penalty as of a day.
type Bill struct {
	ID           uuid.UUID
	ObjectID     uuid.UUID
	NOP          nop.NOP
	Type         Type
	OwnerName    string
	Period       string
	Year         int
	PrincipalIDR int64
	DueDate      civil.Date
	Status       BillStatus
	PaidAt       *time.Time
	CreatedAt    time.Time
	// As of AsOf (today in Asia/Jakarta when read through the service).
	AsOf       civil.Date
	MonthsLate int
	PenaltyIDR int64
	TotalIDR   int64
}

// Rules is the penalty table the city applies: a bill keeps the rule in
// force for its due date.
var Rules = penalty.Surakarta

// assess fills the penalty of b as of asOf. A paid bill owes nothing more;
// its penalty is shown as of the day it was paid.
func (b *Bill) assess(asOf civil.Date) error {
	if b.Status == BillPaid && b.PaidAt != nil {
		asOf = civil.TodayInJakarta(*b.PaidAt)
	}
	a, err := Rules.Assess(b.PrincipalIDR, b.DueDate, asOf)
	if err != nil {
		return err
	}
	b.AsOf, b.MonthsLate, b.PenaltyIDR, b.TotalIDR = asOf, a.Months, a.PenaltyIDR, a.TotalIDR
	return nil
}
