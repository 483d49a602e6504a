package audit

import (
	"net/http"
	"time"

	"github.com/gin-gonic/gin"
	"github.com/google/uuid"
	"gorm.io/gorm"

	"github.com/solodestination/api/internal/platform/apperr"
	"github.com/solodestination/api/internal/platform/web"
	"github.com/solodestination/api/pkg/cursor"
)

type entryList struct {
	Data []Entry      `json:"data" validate:"max=100"`
	Meta web.ListMeta `json:"meta"`
} // @name AuditEntryList

type filter struct {
	ActorID  string    `json:"u,omitempty"`
	Entity   string    `json:"e,omitempty"`
	EntityID string    `json:"i,omitempty"`
	Action   string    `json:"a,omitempty"`
	From     time.Time `json:"f,omitempty"`
	To       time.Time `json:"t,omitempty"`
}

type position struct {
	Filter filter    `json:"q"`
	After  uuid.UUID `json:"p"`
}

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
func List(db *gorm.DB, cur cursor.Codec) web.HandlerFunc {
	return func(c *gin.Context) error {
		limit, err := web.QueryLimit(c)
		if err != nil {
			return err
		}
		f := filter{ActorID: c.Query("actor_id"), Entity: c.Query("entity"), EntityID: c.Query("entity_id"), Action: c.Query("action")}
		if f.ActorID != "" {
			if _, err := uuid.Parse(f.ActorID); err != nil {
				return apperr.BadRequest("actor_id must be a UUID.")
			}
		}
		for _, t := range []struct {
			name string
			dst  *time.Time
		}{{"from", &f.From}, {"to", &f.To}} {
			if raw := c.Query(t.name); raw != "" {
				if *t.dst, err = time.Parse(time.RFC3339, raw); err != nil {
					return apperr.BadRequest(t.name + " must be an RFC 3339 time, e.g. 2026-11-27T09:00:00+07:00.")
				}
			}
		}
		var after uuid.UUID
		if raw := c.Query("cursor"); raw != "" {
			var p position
			if err := cur.Decode(raw, &p); err != nil || !sameFilter(p.Filter, f) {
				return apperr.BadRequest("The cursor is invalid or belongs to another query.")
			}
			after = p.After
		}

		q := db.WithContext(c.Request.Context()).Model(&Entry{})
		if f.ActorID != "" {
			q = q.Where("actor_id = ?", f.ActorID)
		}
		if f.Entity != "" {
			q = q.Where("entity = ?", f.Entity)
		}
		if f.EntityID != "" {
			q = q.Where("entity_id = ?", f.EntityID)
		}
		if f.Action != "" {
			q = q.Where("action = ?", f.Action)
		}
		if !f.From.IsZero() {
			q = q.Where("at >= ?", f.From.UTC())
		}
		if !f.To.IsZero() {
			q = q.Where("at < ?", f.To.UTC())
		}
		if after != uuid.Nil {
			q = q.Where("id < ?", after)
		}
		var rows []Entry
		if err := q.Order("id DESC").Limit(limit + 1).Find(&rows).Error; err != nil {
			return err
		}
		out := entryList{Data: rows, Meta: web.ListMeta{Limit: limit}}
		if len(rows) > limit {
			out.Data = rows[:limit]
			next, err := cur.Encode(position{Filter: f, After: rows[limit-1].ID})
			if err != nil {
				return err
			}
			out.Meta.NextCursor = &next
		}
		c.Header("Cache-Control", "private, no-store")
		c.JSON(http.StatusOK, out)
		return nil
	}
}

func sameFilter(a, b filter) bool {
	return a.ActorID == b.ActorID && a.Entity == b.Entity && a.EntityID == b.EntityID &&
		a.Action == b.Action && a.From.Equal(b.From) && a.To.Equal(b.To)
}
