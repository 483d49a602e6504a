package tax

import (
	"net/http"

	"github.com/gin-gonic/gin"

	"github.com/solodestination/api/internal/identity"
	"github.com/solodestination/api/internal/platform/apperr"
	"github.com/solodestination/api/internal/platform/web"
	"github.com/solodestination/api/pkg/cursor"
)

// ListProfiles handles GET /api/v1/staff/citizen-profiles.
//
//	@Summary		Citizen profiles to review
//	@Description	Profiles in one status (default `pending`), oldest submission first: the revenue office's review queue. NIKs are masked.
//	@ID				listCitizenProfiles
//	@Tags			tax
//	@Produce		json
//	@Security		BearerAuth
//	@Param			status	query		string	false	"Profiles in this status"	Enums(pending,verified,rejected)	default(pending)
//	@Param			limit	query		int		false	"Page size"	minimum(1)	maximum(100)	default(20)	format(int32)
//	@Param			cursor	query		string	false	"next_cursor of the previous page"	maxLength(2048)
//	@Success		200		{object}	profileList
//	@Failure		400		{object}	problem.Problem	"bad status, limit or cursor"
//	@Failure		403		{object}	problem.Problem	"not revenue staff"
//	@Router			/staff/citizen-profiles [get]
func ListProfiles(svc *Service, pg web.Pager) web.HandlerFunc {
	return func(c *gin.Context) error {
		status := ProfileStatus(c.DefaultQuery("status", string(ProfilePending)))
		switch status {
		case ProfilePending, ProfileVerified, ProfileRejected:
		default:
			return apperr.BadRequest("status must be pending, verified or rejected.")
		}
		page, err := web.ReadPage[ProfilePosition](c, pg, cursor.Fingerprint("citizen-profiles", string(status)))
		if err != nil {
			return err
		}
		ps, more, err := svc.Profiles(c.Request.Context(), status, page.After, page.Limit)
		if err != nil {
			return err
		}
		out, err := web.NewList(page, ps, more, func(p Profile) ProfilePosition { return ProfilePosition{At: p.SubmittedAt, ID: p.UserID} },
			toProfileResponse)
		if err != nil {
			return err
		}
		c.Header("Cache-Control", "private, no-store")
		c.JSON(http.StatusOK, profileList(out))
		return nil
	}
}

// VerifyProfile handles POST /api/v1/staff/citizen-profiles/{userId}/verify.
//
//	@Summary		Verify a citizen profile
//	@Description	Marks a pending profile verified after the NIK was checked against the identity card. Every tax object whose owner NIK matches is linked to the account at once, and so are objects added or changed later. Verifying a verified profile answers it again; a rejected one → 409 `invalid_transition`; a NIK already verified for another account → 409 `nik_taken`. Audited with the masked NIK.
//	@ID				verifyCitizenProfile
//	@Tags			tax
//	@Produce		json
//	@Security		BearerAuth
//	@Param			userId	path		string	true	"The citizen's user ID"	format(uuid)	maxLength(36)
//	@Success		200		{object}	verificationResponse
//	@Failure		403		{object}	problem.Problem	"not revenue staff"
//	@Failure		404		{object}	problem.Problem	"no profile for this user"
//	@Failure		409		{object}	problem.Problem	"invalid_transition or nik_taken"
//	@Router			/staff/citizen-profiles/{userId}/verify [post]
func VerifyProfile(svc *Service) web.HandlerFunc {
	return func(c *gin.Context) error {
		id, err := web.PathUUID(c, "userId")
		if err != nil {
			return err
		}
		ctx := c.Request.Context()
		v, err := svc.VerifyProfile(ctx, identity.ActorFrom(ctx), id)
		if err != nil {
			return err
		}
		c.JSON(http.StatusOK, verificationResponse{Profile: toProfileResponse(v.Profile), LinkedObjects: v.LinkedObjects})
		return nil
	}
}

// RejectProfile handles POST /api/v1/staff/citizen-profiles/{userId}/reject.
//
//	@Summary		Reject a citizen profile
//	@Description	Turns a pending profile down with a reason the citizen reads; they may submit again. Only a pending profile → else 409 `invalid_transition`. Audited with the masked NIK.
//	@ID				rejectCitizenProfile
//	@Tags			tax
//	@Accept			json
//	@Produce		json
//	@Security		BearerAuth
//	@Param			userId	path		string			true	"The citizen's user ID"	format(uuid)	maxLength(36)
//	@Param			body	body		rejectRequest	true	"Why"
//	@Success		200		{object}	profileResponse
//	@Failure		400		{object}	problem.Problem	"malformed JSON"
//	@Failure		403		{object}	problem.Problem	"not revenue staff"
//	@Failure		404		{object}	problem.Problem	"no profile for this user"
//	@Failure		409		{object}	problem.Problem	"not pending (invalid_transition)"
//	@Failure		422		{object}	problem.Problem	"no reason"
//	@Router			/staff/citizen-profiles/{userId}/reject [post]
func RejectProfile(svc *Service) web.HandlerFunc {
	return func(c *gin.Context) error {
		id, err := web.PathUUID(c, "userId")
		if err != nil {
			return err
		}
		var in rejectRequest
		if err := web.BindJSON(c, &in); err != nil {
			return err
		}
		ctx := c.Request.Context()
		p, err := svc.RejectProfile(ctx, identity.ActorFrom(ctx), id, in.Reason)
		if err != nil {
			return err
		}
		c.JSON(http.StatusOK, toProfileResponse(p))
		return nil
	}
}

// CreateObject handles POST /api/v1/taxes/objects.
//
//	@Summary		Create a tax object
//	@Description	A tax object by its NOP (18 digits, plain or dotted, in Kota Surakarta: 33.72…), tax type, address and owner. The owner's NIK is stored encrypted and answered masked; the object is linked at once to the citizen verified with that NIK (`linked`). A NOP in use → 409 `nop_taken`. Audited.
//	@ID				createTaxObject
//	@Tags			tax
//	@Accept			json
//	@Produce		json
//	@Security		BearerAuth
//	@Param			body	body		objectRequest	true	"The fields, all required"
//	@Success		201		{object}	objectResponse
//	@Failure		400		{object}	problem.Problem	"malformed JSON"
//	@Failure		403		{object}	problem.Problem	"not revenue staff"
//	@Failure		409		{object}	problem.Problem	"the NOP is taken (nop_taken)"
//	@Failure		422		{object}	problem.Problem	"a field breaks its rules"
//	@Router			/taxes/objects [post]
func CreateObject(svc *Service) web.HandlerFunc {
	return func(c *gin.Context) error {
		var in objectRequest
		if err := web.BindJSON(c, &in); err != nil {
			return err
		}
		ch, p := in.check(true)
		if len(p) > 0 {
			return apperr.Validation(p)
		}
		o, err := svc.CreateObject(c.Request.Context(), ObjectDraft{NOP: *ch.NOP, Type: *ch.Type, Address: *ch.Address,
			OwnerName: *ch.OwnerName, OwnerNIK: *ch.OwnerNIK})
		if err != nil {
			return err
		}
		c.JSON(http.StatusCreated, toObjectResponse(o.Object, o.Linked))
		return nil
	}
}

// UpdateObject handles PATCH /api/v1/taxes/objects/{id}.
//
//	@Summary		Change a tax object
//	@Description	Changes the fields sent; others stay. A new owner NIK moves the object to the citizen verified with it, if any. A NOP in use → 409 `nop_taken`. Audited.
//	@ID				updateTaxObject
//	@Tags			tax
//	@Accept			json
//	@Produce		json
//	@Security		BearerAuth
//	@Param			id		path		string			true	"Tax object ID"	format(uuid)	maxLength(36)
//	@Param			body	body		objectRequest	true	"The fields to change"
//	@Success		200		{object}	objectResponse
//	@Failure		400		{object}	problem.Problem	"malformed JSON"
//	@Failure		403		{object}	problem.Problem	"not revenue staff"
//	@Failure		404		{object}	problem.Problem	"no such tax object"
//	@Failure		409		{object}	problem.Problem	"the NOP is taken (nop_taken)"
//	@Failure		422		{object}	problem.Problem	"a field breaks its rules"
//	@Router			/taxes/objects/{id} [patch]
func UpdateObject(svc *Service) web.HandlerFunc {
	return func(c *gin.Context) error {
		id, err := web.PathUUID(c, "id")
		if err != nil {
			return err
		}
		var in objectRequest
		if err := web.BindJSON(c, &in); err != nil {
			return err
		}
		ch, p := in.check(false)
		if len(p) > 0 {
			return apperr.Validation(p)
		}
		o, err := svc.UpdateObject(c.Request.Context(), id, ch)
		if err != nil {
			return err
		}
		c.JSON(http.StatusOK, toObjectResponse(o.Object, o.Linked))
		return nil
	}
}

// CreateBill handles POST /api/v1/taxes/bills.
//
//	@Summary		Create a tax bill
//	@Description	Assesses a tax object for a period (`YYYY` for PBB, `YYYY-MM` for the monthly taxes) with its principal in whole rupiah and its due date. One bill per object and period: a second → 409 `bill_exists`. A fractional amount or one beyond int64 → 400; outside 1..10^12 → 422. Answers with the penalty as of today. Audited.
//	@ID				createTaxBill
//	@Tags			tax
//	@Accept			json
//	@Produce		json
//	@Security		BearerAuth
//	@Param			body	body		billRequest	true	"The bill"
//	@Success		201		{object}	billResponse
//	@Failure		400		{object}	problem.Problem	"malformed JSON, a fractional or oversized number"
//	@Failure		403		{object}	problem.Problem	"not revenue staff"
//	@Failure		409		{object}	problem.Problem	"a bill for this object and period exists (bill_exists)"
//	@Failure		422		{object}	problem.Problem	"a field breaks its rules, or no such object"
//	@Router			/taxes/bills [post]
func CreateBill(svc *Service) web.HandlerFunc {
	return func(c *gin.Context) error {
		var in billRequest
		if err := web.BindJSON(c, &in); err != nil {
			return err
		}
		b, err := svc.CreateBill(c.Request.Context(), in.draft)
		if err != nil {
			return err
		}
		c.Header("Location", "/api/v1/taxes/bills/"+b.ID.String())
		c.JSON(http.StatusCreated, toBillResponse(b))
		return nil
	}
}
