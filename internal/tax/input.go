package tax

import (
	"errors"
	"fmt"
	"strconv"
	"strings"

	"github.com/google/uuid"

	"github.com/solodestination/api/pkg/civil"
	"github.com/solodestination/api/pkg/nik"
	"github.com/solodestination/api/pkg/nop"
)

// Limits of input, also declared in the API description.
const (
	maxName    = 120
	maxAddress = 300
	maxReason  = 500
	// maxPrincipalIDR is a trillion rupiah: no local tax bill comes near
	// it, and with the 48 % most a penalty can add, totals stay far from
	// int64's end.
	maxPrincipalIDR = 1_000_000_000_000
	minYear         = 1990
	maxYear         = 2100
)

type problems map[string]string

func (p problems) add(field, msg string) {
	if _, ok := p[field]; !ok {
		p[field] = msg
	}
}

func (p problems) name(field, v string, max int) {
	switch {
	case v == "":
		p.add(field, "is required")
	case len([]rune(v)) > max:
		p.add(field, fmt.Sprintf("is at most %d characters", max))
	}
}

// nikProblem says what is wrong with a NIK without repeating it.
func nikProblem(err error) string {
	var e *nik.Error
	if errors.As(err, &e) {
		return strings.TrimPrefix(e.Error(), "nik: ")
	}
	return "is not a valid NIK"
}

// profileRequest is the body of submitting a citizen profile.
type profileRequest struct {
	NIK       string `json:"nik" minLength:"16" maxLength:"16" example:"3372015407900001"`     // 16 digits: region, birth date (women's day + 40), serial
	FullName  string `json:"full_name" minLength:"1" maxLength:"120" example:"Sari Wulandari"` // as on the identity card
	BirthDate string `json:"birth_date" format:"date" minLength:"10" maxLength:"10" example:"1990-07-14"`

	draft ProfileDraft
} // @name CitizenProfileRequest

func (r *profileRequest) Normalize() {
	r.NIK, r.FullName, r.BirthDate = strings.TrimSpace(r.NIK), strings.TrimSpace(r.FullName), strings.TrimSpace(r.BirthDate)
}

func (r *profileRequest) Validate() map[string]string {
	p := problems{}
	p.name("full_name", r.FullName, maxName)
	var err error
	if r.NIK == "" {
		p.add("nik", "is required")
	} else if r.draft.NIK, err = nik.Parse(r.NIK); err != nil {
		p.add("nik", nikProblem(err))
	}
	if r.BirthDate == "" {
		p.add("birth_date", "is required")
	} else if r.draft.BirthDate, err = civil.Parse(r.BirthDate); err != nil {
		p.add("birth_date", "must be a date YYYY-MM-DD")
	} else if r.draft.BirthDate.Year < 1900 {
		p.add("birth_date", "must be in 1900 or later")
	}
	if len(p) == 0 && !r.draft.NIK.ConsistentWith(r.draft.BirthDate) {
		p.add("birth_date", "does not match the birth date encoded in the NIK (women's day of birth + 40)")
	}
	r.draft.FullName = r.FullName
	return p
}

type rejectRequest struct {
	Reason string `json:"reason" minLength:"1" maxLength:"500" example:"The name does not match the identity card."`
} // @name RejectCitizenProfileRequest

func (r *rejectRequest) Normalize() { r.Reason = strings.TrimSpace(r.Reason) }

func (r *rejectRequest) Validate() map[string]string {
	p := problems{}
	p.name("reason", r.Reason, maxReason)
	return p
}

// objectRequest is the body of creating (nop, type, address, owner_name and
// owner_nik required) and changing (absent fields unchanged) a tax object.
type objectRequest struct {
	NOP       *string `json:"nop" minLength:"18" maxLength:"24" example:"33.72.010.001.002-0003.0"` // 18 digits, plain or dotted; in Surakarta (33.72)
	Type      *string `json:"type" enums:"pbb,pbjt_restoran,pbjt_hotel,reklame,parkir,hiburan" example:"pbb"`
	Address   *string `json:"address" minLength:"1" maxLength:"300" example:"Jl. Dr. Radjiman No. 12, Laweyan"`
	OwnerName *string `json:"owner_name" minLength:"1" maxLength:"120" example:"Sari Wulandari"`
	OwnerNIK  *string `json:"owner_nik" minLength:"16" maxLength:"16" example:"3372015407900001"`
} // @name TaxObjectRequest

func trim(s *string) {
	if s != nil {
		*s = strings.TrimSpace(*s)
	}
}

func (r *objectRequest) Normalize() {
	trim(r.NOP)
	trim(r.Type)
	trim(r.Address)
	trim(r.OwnerName)
	trim(r.OwnerNIK)
}

// check validates the fields sent and parses them into ch; create requires
// every field.
func (r *objectRequest) check(create bool) (ObjectChange, problems) {
	p := problems{}
	var ch ObjectChange
	if r.NOP != nil {
		n, err := nop.Parse(*r.NOP)
		switch {
		case err != nil:
			p.add("nop", "must be 18 digits, plain or dotted as 33.72.010.001.002-0003.0")
		case !n.InSurakarta():
			p.add("nop", "must be an object in Kota Surakarta (starting 33.72)")
		default:
			ch.NOP = &n
		}
	} else if create {
		p.add("nop", "is required")
	}
	if r.Type != nil {
		if !validType(*r.Type) {
			p.add("type", "must be pbb, pbjt_restoran, pbjt_hotel, reklame, parkir or hiburan")
		} else {
			t := Type(*r.Type)
			ch.Type = &t
		}
	} else if create {
		p.add("type", "is required")
	}
	if r.Address != nil || create {
		p.name("address", deref(r.Address), maxAddress)
		ch.Address = r.Address
	}
	if r.OwnerName != nil || create {
		p.name("owner_name", deref(r.OwnerName), maxName)
		ch.OwnerName = r.OwnerName
	}
	if r.OwnerNIK != nil {
		n, err := nik.Parse(*r.OwnerNIK)
		if err != nil {
			p.add("owner_nik", nikProblem(err))
		} else {
			ch.OwnerNIK = &n
		}
	} else if create {
		p.add("owner_nik", "is required")
	}
	return ch, p
}

func deref(s *string) string {
	if s == nil {
		return ""
	}
	return *s
}

// billRequest is the body of creating a bill.
type billRequest struct {
	ObjectID     string `json:"object_id" format:"uuid" minLength:"36" maxLength:"36" example:"0193a5b2-7c1e-7d3f-9a42-1b2c3d4e5f60"`
	Period       string `json:"period" minLength:"4" maxLength:"7" example:"2026"` // YYYY (PBB) or YYYY-MM (monthly taxes)
	PrincipalIDR *int64 `json:"principal_idr" minimum:"1" maximum:"1000000000000" format:"int64" example:"1250000"`
	DueDate      string `json:"due_date" format:"date" minLength:"10" maxLength:"10" example:"2026-09-30"`

	draft BillDraft
} // @name CreateTaxBillRequest

func (r *billRequest) Normalize() {
	r.ObjectID, r.Period, r.DueDate = strings.TrimSpace(r.ObjectID), strings.TrimSpace(r.Period), strings.TrimSpace(r.DueDate)
}

func (r *billRequest) Validate() map[string]string {
	p := problems{}
	var err error
	if r.ObjectID == "" {
		p.add("object_id", "is required")
	} else if r.draft.ObjectID, err = uuid.Parse(r.ObjectID); err != nil {
		p.add("object_id", "must be a UUID")
	}
	if y, ok := parsePeriod(r.Period); !ok {
		p.add("period", fmt.Sprintf("must be YYYY or YYYY-MM, years %d..%d", minYear, maxYear))
	} else {
		r.draft.Period, r.draft.Year = r.Period, y
	}
	switch {
	case r.PrincipalIDR == nil:
		p.add("principal_idr", "is required")
	case *r.PrincipalIDR < 1 || *r.PrincipalIDR > maxPrincipalIDR:
		p.add("principal_idr", "must be a whole number of rupiah, 1..1000000000000")
	default:
		r.draft.PrincipalIDR = *r.PrincipalIDR
	}
	if r.DueDate == "" {
		p.add("due_date", "is required")
	} else if r.draft.DueDate, err = civil.Parse(r.DueDate); err != nil {
		p.add("due_date", "must be a date YYYY-MM-DD")
	} else if r.draft.DueDate.Year < minYear || r.draft.DueDate.Year > maxYear+1 {
		p.add("due_date", fmt.Sprintf("must be in %d..%d", minYear, maxYear+1))
	}
	return p
}

// parsePeriod reads YYYY or YYYY-MM and returns the year.
func parsePeriod(s string) (int, bool) {
	if len(s) != 4 && len(s) != 7 {
		return 0, false
	}
	for i, c := range s {
		if i == 4 {
			if c != '-' {
				return 0, false
			}
		} else if c < '0' || c > '9' {
			return 0, false
		}
	}
	y, _ := strconv.Atoi(s[:4])
	if y < minYear || y > maxYear {
		return 0, false
	}
	if len(s) == 7 {
		m, _ := strconv.Atoi(s[5:])
		if m < 1 || m > 12 {
			return 0, false
		}
	}
	return y, true
}
