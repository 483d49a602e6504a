package audit

import (
	"net/http"
	"time"

	"github.com/gin-gonic/gin"
	"github.com/google/uuid"

	"github.com/solodestination/api/internal/platform/apperr"
	"github.com/solodestination/api/internal/platform/web"
	"github.com/solodestination/api/pkg/cursor"
)

// entryResponse is an audit entry as admins read it: the fields API.md
// names, and the details recorded with it.
type entryResponse struct {
	ID         uuid.UUID  `json:"id" format:"uuid" maxLength:"36" example:"0193a5b2-9d00-7a11-8b22-1b2c3d4e5f60"`
	ActorID    *uuid.UUID `json:"actor_id" format:"uuid" maxLength:"36" extensions:"x-nullable" example:"0193a5b2-7c1e-7d3f-9a42-1b2c3d4e5f60"`
	ActorEmail string     `json:"actor_email" maxLength:"254" example:"tourism@example.com"`
	Action     string     `json:"action" maxLength:"64" example:"user.update"`
	Entity     string     `json:"entity" maxLength:"64" example:"user"`
	EntityID   string     `json:"entity_id" maxLength:"128" example:"0193a5b2-7c1e-7d3f-9a42-1b2c3d4e5f60"`
	RequestID  string     `json:"request_id" maxLength:"128" example:"01JDZ8F3QK4T6V9W2X5Y7Z0A1B"`
	IP         string     `json:"ip" maxLength:"64" example:"203.0.113.7"`
	Details    string     `json:"details,omitempty" maxLength:"65536" extensions:"x-optional" example:"{\"role\":\"staff\"}"` // JSON of what changed
	At         time.Time  `json:"at" format:"date-time" maxLength:"35"`
} // @name AuditEntry

func toResponse(e Entry) entryResponse {
	return entryResponse{ID: e.ID, ActorID: e.ActorID, ActorEmail: e.ActorEmail, Action: e.Action,
		Entity: e.Entity, EntityID: e.EntityID, RequestID: e.RequestID, IP: e.IP, Details: e.Details, At: e.At}
}

type entryList struct {
	Data []entryResponse `json:"data" validate:"max=100"`
	Meta web.ListMeta    `json:"meta"`
} // @name AuditEntryList

// List handles GET /api/v1/admin/audit-log.
//
//	@Summary		Read the audit log
//	@ID				listAuditLog
//	@Description	Every staff and admin write, newest first: who, what, which record, when, from which address, under which request id.
//	@Tags			admin
//	@Produce		json
//	@Security		BearerAuth
//	@Param			actor_id	query		string	false	"Only this actor"								format(uuid)	maxLength(36)
//	@Param			entity		query		string	false	"Only this entity type, e.g. user, attraction"	maxLength(4096)
//	@Param			entity_id	query		string	false	"Only this record"								maxLength(4096)
//	@Param			action		query		string	false	"Only this action, e.g. user.update_access"		maxLength(4096)
//	@Param			from		query		string	false	"At or after (RFC 3339)"						format(date-time)	maxLength(35)
//	@Param			to			query		string	false	"Before (RFC 3339)"								format(date-time)	maxLength(35)
//	@Param			limit		query		int		false	"Page size"										format(int32)		minimum(1)	maximum(100)	default(20)
//	@Param			cursor		query		string	false	"next_cursor of the previous page"				maxLength(2048)
//	@Success		200			{object}	entryList
//	@Failure		400			{object}	problem.Problem
//	@Failure		401			{object}	problem.Problem
//	@Failure		403			{object}	problem.Problem
//	@Router			/admin/audit-log [get]
func List(svc *Service, pg web.Pager) web.HandlerFunc {
	return func(c *gin.Context) error {
		f, err := parseFilter(c)
		if err != nil {
			return err
		}
		page, err := web.ReadPage[uuid.UUID](c, pg, f.fingerprint())
		if err != nil {
			return err
		}
		entries, more, err := svc.List(c.Request.Context(), f, page.After, page.Limit)
		if err != nil {
			return err
		}
		out, err := web.NewList(page, entries, more, func(e Entry) uuid.UUID { return e.ID }, toResponse)
		if err != nil {
			return err
		}
		c.Header("Cache-Control", "private, no-store")
		c.JSON(http.StatusOK, entryList(out))
		return nil
	}
}

func parseFilter(c *gin.Context) (Filter, error) {
	f := Filter{Entity: c.Query("entity"), EntityID: c.Query("entity_id"), Action: c.Query("action")}
	if raw := c.Query("actor_id"); raw != "" {
		id, err := uuid.Parse(raw)
		if err != nil {
			return f, apperr.BadRequest("actor_id must be a UUID.")
		}
		f.ActorID = &id
	}
	for _, t := range []struct {
		name string
		dst  *time.Time
	}{{"from", &f.From}, {"to", &f.To}} {
		if raw := c.Query(t.name); raw != "" {
			var err error
			if *t.dst, err = time.Parse(time.RFC3339, raw); err != nil {
				return f, apperr.BadRequest(t.name + " must be an RFC 3339 time, e.g. 2026-11-27T09:00:00+07:00.")
			}
		}
	}
	return f, nil
}

// fingerprint binds cursors to the filter they page.
func (f Filter) fingerprint() string {
	actor := ""
	if f.ActorID != nil {
		actor = f.ActorID.String()
	}
	return cursor.Fingerprint("audit", actor, f.Entity, f.EntityID, f.Action,
		f.From.UTC().Format(time.RFC3339Nano), f.To.UTC().Format(time.RFC3339Nano))
}
