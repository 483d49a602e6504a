package tax

import (
	"net/http"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/gin-gonic/gin"
	"github.com/google/uuid"

	"github.com/solodestination/api/internal/identity"
	"github.com/solodestination/api/internal/platform/apperr"
	"github.com/solodestination/api/internal/platform/web"
	"github.com/solodestination/api/pkg/cursor"
	"github.com/solodestination/api/pkg/nop"
)

// wib is Asia/Jakarta, the zone timestamps of this domain are shown in.
var wib = time.FixedZone("WIB", 7*60*60)

type profileResponse struct {
	UserID       uuid.UUID  `json:"user_id" format:"uuid" maxLength:"36" example:"0193a5b2-7c1e-7d3f-9a42-1b2c3d4e5f60"`
	NIKMasked    string     `json:"nik_masked" maxLength:"10" example:"33720…0001"` // first five and last four digits; the full NIK is never shown
	FullName     string     `json:"full_name" maxLength:"120" example:"Sari Wulandari"`
	BirthDate    string     `json:"birth_date" format:"date" maxLength:"10" example:"1990-07-14"`
	Status       string     `json:"status" enums:"pending,verified,rejected" example:"pending"`
	RejectReason string     `json:"reject_reason,omitempty" extensions:"x-optional" maxLength:"500"`
	SubmittedAt  time.Time  `json:"submitted_at" format:"date-time" maxLength:"35"`
	ReviewedAt   *time.Time `json:"reviewed_at" format:"date-time" maxLength:"35" extensions:"x-nullable"`
} // @name CitizenProfile

func toProfileResponse(p Profile) profileResponse {
	out := profileResponse{UserID: p.UserID, NIKMasked: p.NIKMasked, FullName: p.FullName, BirthDate: p.BirthDate.String(),
		Status: string(p.Status), RejectReason: p.RejectReason, SubmittedAt: p.SubmittedAt.In(wib)}
	if p.ReviewedAt != nil {
		t := p.ReviewedAt.In(wib)
		out.ReviewedAt = &t
	}
	return out
}

type profileList struct {
	Data []profileResponse `json:"data" validate:"max=100"`
	Meta web.ListMeta      `json:"meta"`
} // @name CitizenProfileList

type verificationResponse struct {
	Profile       profileResponse `json:"profile"`
	LinkedObjects int64           `json:"linked_objects" minimum:"0" format:"int64" example:"3" maximum:"1000000"` // tax objects whose owner NIK is this one
} // @name CitizenProfileVerification

type objectResponse struct {
	ID             uuid.UUID `json:"id" format:"uuid" maxLength:"36" example:"0193a5b2-7c1e-7d3f-9a42-1b2c3d4e5f60"`
	NOP            string    `json:"nop" minLength:"24" maxLength:"24" example:"33.72.010.001.002-0003.0"`
	Type           string    `json:"type" enums:"pbb,pbjt_restoran,pbjt_hotel,reklame,parkir,hiburan" example:"pbb"`
	Address        string    `json:"address" maxLength:"300" example:"Jl. Dr. Radjiman No. 12, Laweyan"`
	OwnerName      string    `json:"owner_name" maxLength:"120" example:"Sari Wulandari"`
	OwnerNIKMasked string    `json:"owner_nik_masked" maxLength:"10" example:"33720…0001"`
	Linked         bool      `json:"linked" example:"true"` // a citizen with this owner NIK is verified: the object is theirs in /me/tax-objects
	CreatedAt      time.Time `json:"created_at" format:"date-time" maxLength:"35"`
	UpdatedAt      time.Time `json:"updated_at" format:"date-time" maxLength:"35"`
} // @name TaxObject

func toObjectResponse(o Object, linked bool) objectResponse {
	return objectResponse{ID: o.ID, NOP: o.NOP.Format(), Type: string(o.Type), Address: o.Address, OwnerName: o.OwnerName,
		OwnerNIKMasked: o.OwnerNIKMasked, Linked: linked, CreatedAt: o.CreatedAt.In(wib), UpdatedAt: o.UpdatedAt.In(wib)}
}

type objectList struct {
	Data []objectResponse `json:"data" validate:"max=100"`
	Meta web.ListMeta     `json:"meta"`
} // @name TaxObjectList

type billResponse struct {
	ID           uuid.UUID  `json:"id" format:"uuid" maxLength:"36" example:"0193a5b2-9d00-7a11-8b22-1b2c3d4e5f60"`
	ObjectID     uuid.UUID  `json:"object_id" format:"uuid" maxLength:"36" example:"0193a5b2-7c1e-7d3f-9a42-1b2c3d4e5f60"`
	NOP          string     `json:"nop" minLength:"24" maxLength:"24" example:"33.72.010.001.002-0003.0"`
	Type         string     `json:"type" enums:"pbb,pbjt_restoran,pbjt_hotel,reklame,parkir,hiburan" example:"pbb"`
	Period       string     `json:"period" minLength:"4" maxLength:"7" example:"2026"`
	PrincipalIDR int64      `json:"principal_idr" minimum:"1" maximum:"1000000000000" format:"int64" example:"1250000"`
	PenaltyIDR   int64      `json:"penalty_idr" minimum:"0" maximum:"1000000000000" format:"int64" example:"12500"` // as of as_of
	TotalIDR     int64      `json:"total_idr" minimum:"1" maximum:"2000000000000" format:"int64" example:"1262500"`
	MonthsLate   int        `json:"months_late" minimum:"0" maximum:"24" format:"int32" example:"1"` // started months after due_date, capped by the rule
	DueDate      string     `json:"due_date" format:"date" maxLength:"10" example:"2026-09-30"`
	AsOf         string     `json:"as_of" format:"date" maxLength:"10" example:"2026-10-15"` // the day (Asia/Jakarta) the penalty is computed for: today, or the day a paid bill was paid
	Status       string     `json:"status" enums:"unpaid,pending,paid,cancelled" example:"unpaid"`
	PaidAt       *time.Time `json:"paid_at" format:"date-time" maxLength:"35" extensions:"x-nullable"`
} // @name TaxBill

func toBillResponse(b Bill) billResponse {
	out := billResponse{ID: b.ID, ObjectID: b.ObjectID, NOP: b.NOP.Format(), Type: string(b.Type), Period: b.Period,
		PrincipalIDR: b.PrincipalIDR, PenaltyIDR: b.PenaltyIDR, TotalIDR: b.TotalIDR, MonthsLate: b.MonthsLate,
		DueDate: b.DueDate.String(), AsOf: b.AsOf.String(), Status: string(b.Status)}
	if b.PaidAt != nil {
		t := b.PaidAt.In(wib)
		out.PaidAt = &t
	}
	return out
}

type billList struct {
	Data []billResponse `json:"data" validate:"max=100"`
	Meta web.ListMeta   `json:"meta"`
} // @name TaxBillList

type lookupItem struct {
	BillID          uuid.UUID `json:"bill_id" format:"uuid" maxLength:"36" example:"0193a5b2-9d00-7a11-8b22-1b2c3d4e5f60"`
	NOP             string    `json:"nop" minLength:"24" maxLength:"24" example:"33.72.010.001.002-0003.0"`
	Period          string    `json:"period" minLength:"4" maxLength:"7" example:"2026"`
	OwnerNameMasked string    `json:"owner_name_masked" maxLength:"120" example:"S*** W*********"` // first letter of each word
	PrincipalIDR    int64     `json:"principal_idr" minimum:"1" maximum:"1000000000000" format:"int64" example:"1250000"`
	PenaltyIDR      int64     `json:"penalty_idr" minimum:"0" maximum:"1000000000000" format:"int64" example:"12500"`
	TotalIDR        int64     `json:"total_idr" minimum:"1" maximum:"2000000000000" format:"int64" example:"1262500"`
	DueDate         string    `json:"due_date" format:"date" maxLength:"10" example:"2026-09-30"`
	Status          string    `json:"status" enums:"unpaid,pending,paid,cancelled" example:"unpaid"`
} // @name TaxBillLookupItem

// maskName keeps the first letter of each word: enough for a relative to
// recognise the owner, not enough to learn a stranger's name from a NOP.
func maskName(name string) string {
	words := strings.Fields(name)
	for i, w := range words {
		r, size := utf8.DecodeRuneInString(w)
		words[i] = string(r) + strings.Repeat("*", utf8.RuneCountInString(w[size:]))
	}
	return strings.Join(words, " ")
}

func toLookupItem(b Bill) lookupItem {
	return lookupItem{BillID: b.ID, NOP: b.NOP.Format(), Period: b.Period, OwnerNameMasked: maskName(b.OwnerName),
		PrincipalIDR: b.PrincipalIDR, PenaltyIDR: b.PenaltyIDR, TotalIDR: b.TotalIDR, DueDate: b.DueDate.String(),
		Status: string(b.Status)}
}

// GetMyProfile handles GET /api/v1/me/citizen-profile.
//
//	@Summary		My citizen profile
//	@Description	The NIK the caller submitted, masked, and where its review is. None submitted yet → 404.
//	@ID				getMyCitizenProfile
//	@Tags			tax
//	@Produce		json
//	@Security		BearerAuth
//	@Success		200	{object}	profileResponse
//	@Failure		404	{object}	problem.Problem	"no profile submitted"
//	@Router			/me/citizen-profile [get]
func GetMyProfile(svc *Service) web.HandlerFunc {
	return func(c *gin.Context) error {
		ctx := c.Request.Context()
		p, err := svc.MyProfile(ctx, identity.ActorFrom(ctx))
		if err != nil {
			return err
		}
		c.Header("Cache-Control", "private, no-store")
		c.JSON(http.StatusOK, toProfileResponse(p))
		return nil
	}
}

// PutMyProfile handles PUT /api/v1/me/citizen-profile.
//
//	@Summary		Submit my citizen profile
//	@Description	Records the caller's NIK, name and birth date for revenue staff to verify; the profile is `pending` until then. The NIK is checked (16 digits, known province, regency and district codes, a real encoded birth date with the women's day + 40, a serial other than 0000) and must match `birth_date`. It is stored encrypted and never shown in full again (`nik_masked`). A pending or rejected profile is replaced; a verified one → 409 `profile_verified`.
//	@ID				putMyCitizenProfile
//	@Tags			tax
//	@Accept			json
//	@Produce		json
//	@Security		BearerAuth
//	@Param			body	body		profileRequest	true	"NIK, name and birth date"
//	@Success		200		{object}	profileResponse
//	@Failure		400		{object}	problem.Problem	"malformed JSON"
//	@Failure		409		{object}	problem.Problem	"the profile is verified (profile_verified)"
//	@Failure		422		{object}	problem.Problem	"a field breaks its rules (the NIK is never repeated in the answer)"
//	@Router			/me/citizen-profile [put]
func PutMyProfile(svc *Service) web.HandlerFunc {
	return func(c *gin.Context) error {
		var in profileRequest
		if err := web.BindJSON(c, &in); err != nil {
			return err
		}
		ctx := c.Request.Context()
		p, err := svc.SubmitProfile(ctx, identity.ActorFrom(ctx), in.draft)
		if err != nil {
			return err
		}
		c.Header("Cache-Control", "private, no-store")
		c.JSON(http.StatusOK, toProfileResponse(p))
		return nil
	}
}

// ListMyObjects handles GET /api/v1/me/tax-objects.
//
//	@Summary		My tax objects
//	@Description	The tax objects whose owner NIK is the caller's verified one, by id; empty until the citizen profile is verified.
//	@ID				listMyTaxObjects
//	@Tags			tax
//	@Produce		json
//	@Security		BearerAuth
//	@Param			limit	query		int		false	"Page size"	minimum(1)	maximum(100)	default(20)	format(int32)
//	@Param			cursor	query		string	false	"next_cursor of the previous page"	maxLength(2048)
//	@Success		200		{object}	objectList
//	@Failure		400		{object}	problem.Problem	"bad limit or cursor"
//	@Router			/me/tax-objects [get]
func ListMyObjects(svc *Service, pg web.Pager) web.HandlerFunc {
	return func(c *gin.Context) error {
		ctx := c.Request.Context()
		who := identity.ActorFrom(ctx)
		page, err := web.ReadPage[uuid.UUID](c, pg, cursor.Fingerprint("tax-objects", who.ID.String()))
		if err != nil {
			return err
		}
		objs, more, err := svc.MyObjects(ctx, who, page.After, page.Limit)
		if err != nil {
			return err
		}
		out, err := web.NewList(page, objs, more, func(o Object) uuid.UUID { return o.ID },
			func(o Object) objectResponse { return toObjectResponse(o, true) })
		if err != nil {
			return err
		}
		c.Header("Cache-Control", "private, no-store")
		c.JSON(http.StatusOK, objectList(out))
		return nil
	}
}

// queryYear reads an optional ?year=.
func queryYear(c *gin.Context) (int, error) {
	raw := c.Query("year")
	if raw == "" {
		return 0, nil
	}
	y, err := strconv.Atoi(raw)
	if err != nil || y < minYear || y > maxYear {
		return 0, apperr.BadRequest("year must be a year between 1990 and 2100.")
	}
	return y, nil
}

// ListMyBills handles GET /api/v1/me/tax-bills.
//
//	@Summary		My tax bills
//	@Description	The bills of the caller's tax objects, latest due date first, each with `penalty_idr`, `total_idr` and `months_late` as of today in Asia/Jakarta. Empty until the citizen profile is verified.
//	@ID				listMyTaxBills
//	@Tags			tax
//	@Produce		json
//	@Security		BearerAuth
//	@Param			status	query		string	false	"Only bills in this status"	Enums(unpaid,pending,paid,cancelled)
//	@Param			year	query		int		false	"Only bills of this tax year"	minimum(1990)	maximum(2100)	format(int32)
//	@Param			limit	query		int		false	"Page size"	minimum(1)	maximum(100)	default(20)	format(int32)
//	@Param			cursor	query		string	false	"next_cursor of the previous page"	maxLength(2048)
//	@Success		200		{object}	billList
//	@Failure		400		{object}	problem.Problem	"bad status, year, limit or cursor"
//	@Router			/me/tax-bills [get]
func ListMyBills(svc *Service, pg web.Pager) web.HandlerFunc {
	return func(c *gin.Context) error {
		ctx := c.Request.Context()
		who := identity.ActorFrom(ctx)
		var f BillFilter
		switch st := BillStatus(c.Query("status")); st {
		case "", BillUnpaid, BillPending, BillPaid, BillCancelled:
			f.Status = st
		default:
			return apperr.BadRequest("status must be unpaid, pending, paid or cancelled.")
		}
		var err error
		if f.Year, err = queryYear(c); err != nil {
			return err
		}
		page, err := web.ReadPage[BillPosition](c, pg,
			cursor.Fingerprint("tax-bills", who.ID.String(), string(f.Status), strconv.Itoa(f.Year)))
		if err != nil {
			return err
		}
		bills, more, err := svc.MyBills(ctx, who, f, page.After, page.Limit)
		if err != nil {
			return err
		}
		out, err := web.NewList(page, bills, more, func(b Bill) BillPosition { return BillPosition{Due: b.DueDate.String(), ID: b.ID} },
			toBillResponse)
		if err != nil {
			return err
		}
		c.Header("Cache-Control", "private, no-store")
		c.JSON(http.StatusOK, billList(out))
		return nil
	}
}

// GetBill handles GET /api/v1/taxes/bills/{id}.
//
//	@Summary		One tax bill
//	@Description	A bill with its penalty as of today in Asia/Jakarta under the rule in force for its due date: due on or after 2024-01-01 (UU 1/2022, HKPD) 1 % of the principal per started month late, at most 24 months; due before it 2 % per started month, at most 24; rounded down to the rupiah. A month is started on the day after the due date plus whole months (clamped to the month's end): due 2026-09-30, paid 10-01 → 1, 10-30 → 1, 10-31 → 2. For the owner (verified citizen) and revenue staff; anyone else gets 404.
//	@ID				getTaxBill
//	@Tags			tax
//	@Produce		json
//	@Security		BearerAuth
//	@Param			id	path		string	true	"Bill ID"	format(uuid)	maxLength(36)
//	@Success		200	{object}	billResponse
//	@Failure		404	{object}	problem.Problem	"no such bill of yours"
//	@Router			/taxes/bills/{id} [get]
func GetBill(svc *Service) web.HandlerFunc {
	return func(c *gin.Context) error {
		id, err := web.PathUUID(c, "id")
		if err != nil {
			return err
		}
		ctx := c.Request.Context()
		b, err := svc.Bill(ctx, identity.ActorFrom(ctx), id)
		if err != nil {
			return err
		}
		c.Header("Cache-Control", "private, no-store")
		c.JSON(http.StatusOK, toBillResponse(b))
		return nil
	}
}

// LookupBills handles GET /api/v1/taxes/bills/lookup.
//
//	@Summary		Look bills up by NOP
//	@Description	Lets any signed-in user pay a bill for someone else (a relative, a tenant): the bills of the object with this NOP (plain or dotted), latest due date first, at most 100, with amounts as of today and only the owner's name masked. An unknown NOP → 404.
//	@ID				lookupTaxBills
//	@Tags			tax
//	@Produce		json
//	@Security		BearerAuth
//	@Param			nop		query	string	true	"NOP, 18 digits plain or dotted"	minLength(18)	maxLength(24)
//	@Param			year	query	int		false	"Only bills of this tax year"	minimum(1990)	maximum(2100)	format(int32)
//	@Success		200		{array}	lookupItem
//	@x-max-items	100
//	@Failure		400		{object}	problem.Problem	"bad nop or year"
//	@Failure		404		{object}	problem.Problem	"no tax object has this NOP"
//	@Router			/taxes/bills/lookup [get]
func LookupBills(svc *Service) web.HandlerFunc {
	return func(c *gin.Context) error {
		n, err := nop.Parse(c.Query("nop"))
		if err != nil {
			return apperr.BadRequest("nop must be 18 digits, plain or dotted as 33.72.010.001.002-0003.0.")
		}
		year, err := queryYear(c)
		if err != nil {
			return err
		}
		bills, err := svc.Lookup(c.Request.Context(), n, year)
		if err != nil {
			return err
		}
		out := make([]lookupItem, len(bills))
		for i, b := range bills {
			out[i] = toLookupItem(b)
		}
		c.Header("Cache-Control", "private, no-store")
		c.JSON(http.StatusOK, out)
		return nil
	}
}
