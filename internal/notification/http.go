package notification

import (
	"net/http"
	"time"

	"github.com/gin-gonic/gin"
	"github.com/google/uuid"

	"github.com/solodestination/api/internal/identity"
	"github.com/solodestination/api/internal/platform/apperr"
	"github.com/solodestination/api/internal/platform/web"
	"github.com/solodestination/api/pkg/cursor"
)

// notificationResponse is a notification in the reader's language.
type notificationResponse struct {
	ID        uuid.UUID  `json:"id" example:"0193a5b2-9d00-7a11-8b22-1b2c3d4e5f60" format:"uuid" maxLength:"36"`
	Kind      string     `json:"kind" example:"trip_cancelled" maxLength:"64"`
	Title     string     `json:"title" example:"Perjalanan dibatalkan" maxLength:"200"`
	Body      string     `json:"body" example:"Perjalanan Jaladara 6 Des 09:00 dibatalkan; pemesanan Anda BK7F3Q2M dibatalkan." maxLength:"2000"`
	Entity    string     `json:"entity" example:"booking" maxLength:"64"`
	EntityID  string     `json:"entity_id" example:"0193a5b2-7c1e-7d3f-9a42-1b2c3d4e5f60" maxLength:"128"`
	CreatedAt time.Time  `json:"created_at" format:"date-time" maxLength:"35"`
	ReadAt    *time.Time `json:"read_at" extensions:"x-nullable" format:"date-time" maxLength:"35"` // null while unread
} // @name Notification

func toResponse(n Notification, l web.Lang) notificationResponse {
	return notificationResponse{ID: n.ID, Kind: n.Kind, Title: l.Pick(n.Title.ID, n.Title.EN),
		Body: l.Pick(n.Body.ID, n.Body.EN), Entity: n.Entity, EntityID: n.EntityID, CreatedAt: n.CreatedAt, ReadAt: n.ReadAt}
}

type notificationList struct {
	Data []notificationResponse `json:"data" validate:"max=100"`
	Meta web.ListMeta           `json:"meta"`
} // @name NotificationList

// readerLang is ?lang= when given, else the language the account chose in
// its profile: a message is addressed to the person, not to the device.
func readerLang(c *gin.Context, svc *Service, who identity.Actor) (web.Lang, error) {
	if c.Query("lang") != "" {
		return web.RequestLang(c).One(), nil
	}
	l, err := svc.PreferredLang(c.Request.Context(), who.ID)
	if err != nil {
		return "", err
	}
	return web.NegotiateLang(l, "").One(), nil
}

// List handles GET /api/v1/me/notifications.
//
//	@Summary		My notifications
//	@Description	The caller's in-app messages, newest first: bookings confirmed or cancelled, trips cancelled. `read_at` is null while unread; `?unread=true` lists only those. Titles and bodies are in `?lang=` when given, else in the account's `preferred_lang`.
//	@ID				listNotifications
//	@Tags			notifications
//	@Produce		json
//	@Security		BearerAuth
//	@Param			unread	query		bool	false	"Only unread notifications"
//	@Param			lang	query		string	false	"Language of titles and bodies: id or en; otherwise the account\'s preferred language"	maxLength(4096)
//	@Param			limit	query		int		false	"Page size"						minimum(1)	maximum(100)	default(20)	format(int32)
//	@Param			cursor	query		string	false	"next_cursor of the previous page"	maxLength(2048)
//	@Success		200		{object}	notificationList
//	@Failure		400		{object}	problem.Problem	"bad limit, cursor or unread"
//	@Router			/me/notifications [get]
func List(svc *Service, pg web.Pager) web.HandlerFunc {
	return func(c *gin.Context) error {
		ctx := c.Request.Context()
		who := identity.ActorFrom(ctx)
		unread := false
		switch c.Query("unread") {
		case "", "false":
		case "true":
			unread = true
		default:
			return apperr.BadRequest("unread must be true or false.")
		}
		page, err := web.ReadPage[uuid.UUID](c, pg, cursor.Fingerprint("notifications", who.ID.String(), c.Query("unread")))
		if err != nil {
			return err
		}
		l, err := readerLang(c, svc, who)
		if err != nil {
			return err
		}
		items, more, err := svc.List(ctx, who.ID, unread, page.After, page.Limit)
		if err != nil {
			return err
		}
		out, err := web.NewList(page, items, more, func(n Notification) uuid.UUID { return n.ID },
			func(n Notification) notificationResponse { return toResponse(n, l) })
		if err != nil {
			return err
		}
		c.Header("Cache-Control", "private, no-store")
		web.SetLangHeaders(c, l)
		c.JSON(http.StatusOK, notificationList(out))
		return nil
	}
}

// MarkRead handles POST /api/v1/me/notifications/{id}/read.
//
//	@Summary		Mark a notification read
//	@Description	Sets `read_at` the first time; marking it again changes nothing and answers the same. Someone else's notification is 404.
//	@ID				markNotificationRead
//	@Tags			notifications
//	@Produce		json
//	@Security		BearerAuth
//	@Param			id		path		string	true	"Notification ID"	format(uuid)	maxLength(36)
//	@Param			lang	query		string	false	"Language of title and body: id or en; otherwise the account\'s preferred language"	maxLength(4096)
//	@Success		200		{object}	notificationResponse
//	@Failure		404		{object}	problem.Problem	"no such notification of yours"
//	@Router			/me/notifications/{id}/read [post]
func MarkRead(svc *Service) web.HandlerFunc {
	return func(c *gin.Context) error {
		id, err := web.PathUUID(c, "id")
		if err != nil {
			return err
		}
		ctx := c.Request.Context()
		who := identity.ActorFrom(ctx)
		n, err := svc.MarkRead(ctx, who.ID, id)
		if err != nil {
			return err
		}
		l, err := readerLang(c, svc, who)
		if err != nil {
			return err
		}
		web.SetLangHeaders(c, l)
		c.JSON(http.StatusOK, toResponse(n, l))
		return nil
	}
}
