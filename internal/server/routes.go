package server

import (
	"context"
	"net/http"

	"github.com/gin-gonic/gin"
	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/promhttp"

	"github.com/solodestination/api/internal/audit"
	"github.com/solodestination/api/internal/catalog"
	"github.com/solodestination/api/internal/catalog/image"
	"github.com/solodestination/api/internal/catalog/kind"
	"github.com/solodestination/api/internal/catalog/plan"
	"github.com/solodestination/api/internal/catalog/review"
	"github.com/solodestination/api/internal/holiday"
	"github.com/solodestination/api/internal/identity"
	"github.com/solodestination/api/internal/notification"
	"github.com/solodestination/api/internal/payment"
	"github.com/solodestination/api/internal/permit"
	"github.com/solodestination/api/internal/platform/storage"
	"github.com/solodestination/api/internal/platform/web"
	"github.com/solodestination/api/internal/tax"
	"github.com/solodestination/api/internal/transport"
	"github.com/solodestination/api/web/console"
)

// addRoutes shows the whole API, its guards and its handlers on one screen.
func addRoutes(r *gin.Engine, d Deps, reg *prometheus.Registry) {
	r.GET("/healthz", healthz)
	r.GET("/readyz", web.Handle(readyz(d)))
	if d.Config.MetricsAddr == "" { // else cmd/api serves it on its own listener
		r.GET("/metrics", gin.WrapH(promhttp.HandlerFor(reg, promhttp.HandlerOpts{Registry: reg})))
	}
	r.GET("/swagger/*any", swaggerUI())
	r.GET("/openapi.json", openAPI("application/json"))
	r.GET("/openapi.yaml", openAPI("application/yaml"))
	r.GET(storage.URLPrefix+"*key", web.Handle(storage.Serve(d.Media)))
	// The staff console: its built files, embedded; it talks to /api/v1 like any client.
	staffConsole := gin.WrapH(console.Handler())
	r.GET("/console", func(c *gin.Context) { c.Redirect(http.StatusMovedPermanently, console.Prefix) })
	r.GET(console.Prefix+"*path", staffConsole)
	r.HEAD(console.Prefix+"*path", staffConsole)

	auth := identity.NewAuth(d.Identity)
	// One limiter for the whole API (its counters are shared by both groups);
	// every path and query value is checked for hostile characters first.
	limit := rateLimit(d)
	api := r.Group("/api/v1", web.CleanURL())
	v1 := api.Group("", auth.Optional(), limit)

	// The auth endpoints never read the bearer token: a stale one that a
	// client sends out of habit must not stop it from refreshing or logging out.
	public := api.Group("", limit)
	public.POST("/auth/register", web.Handle(identity.Register(d.Identity)))
	public.POST("/auth/login", web.Handle(identity.Login(d.Identity)))
	public.POST("/auth/refresh", web.Handle(identity.Refresh(d.Identity)))
	public.POST("/auth/logout", web.Handle(identity.Logout(d.Identity)))

	user := v1.Group("", auth.RequireUser())
	user.GET("/me", web.Handle(identity.GetMe(d.Identity)))
	user.PATCH("/me", web.Handle(identity.PatchMe(d.Identity)))

	// Catalog: one concrete path per kind (/attractions, /culinary, /events),
	// never a :kind wildcard, so the per-listing routes can sit beside them.
	tourism := v1.Group("", auth.RequireStaff(identity.DeptTourism))
	for _, k := range kind.All {
		p := "/" + k.Plural()
		v1.GET(p, web.Handle(catalog.List(d.Catalog, d.Pager, k)))
		v1.GET(p+"/:id", web.Handle(catalog.Get(d.Catalog, k)))
		tourism.POST(p, web.Handle(catalog.Create(d.Catalog, k)))
		tourism.PATCH(p+"/:id", web.Handle(catalog.Update(d.Catalog, k)))
		tourism.DELETE(p+"/:id", web.Handle(catalog.Archive(d.Catalog, k)))
		tourism.POST(p+"/:id/images", web.Handle(image.Create(d.Images, k)))
		tourism.DELETE(p+"/:id/images/:imageId", web.Handle(image.Delete(d.Images, k)))
		tourism.PUT(p+"/:id/images/order", web.Handle(image.Reorder(d.Images, k)))
		v1.GET(p+"/:id/reviews", web.Handle(review.List(d.Reviews, d.Pager, k)))
		user.POST(p+"/:id/reviews", web.Handle(review.Create(d.Reviews, k)))
		user.PUT("/me/favorites"+p+"/:id", web.Handle(plan.PutFavorite(d.Plans, k)))
		user.DELETE("/me/favorites"+p+"/:id", web.Handle(plan.DeleteFavorite(d.Plans, k)))
	}
	tourism.GET("/staff/summary/tourism", web.Handle(review.GetWaiting(d.Reviews)))
	tourism.GET("/staff/reviews", web.Handle(review.ListQueue(d.Reviews, d.Pager)))
	v1.GET("/categories", web.Handle(catalog.Categories(d.Catalog)))
	v1.GET("/search", web.Handle(catalog.Search(d.Catalog, d.Pager)))
	v1.GET("/search/suggest", web.Handle(catalog.Suggest(d.Catalog)))
	user.DELETE("/reviews/:id", web.Handle(review.Delete(d.Reviews))) // authors delete, tourism staff hide
	user.GET("/me/favorites", web.Handle(plan.ListFavorites(d.Plans, d.Pager)))
	user.POST("/me/itineraries", web.Handle(plan.CreateItinerary(d.Plans)))
	user.GET("/me/itineraries", web.Handle(plan.ListItineraries(d.Plans, d.Pager)))
	user.GET("/me/itineraries/:id", web.Handle(plan.GetItinerary(d.Plans)))
	user.PATCH("/me/itineraries/:id", web.Handle(plan.PatchItinerary(d.Plans)))
	user.DELETE("/me/itineraries/:id", web.Handle(plan.DeleteItinerary(d.Plans)))

	// The national holiday calendar: anyone reads it, staff of any department keep it.
	v1.GET("/calendar/holidays", web.Handle(holiday.ListHolidays(d.Holidays)))
	anyStaff := v1.Group("", auth.RequireAnyStaff())
	anyStaff.PUT("/calendar/holidays/:date", web.Handle(holiday.PutHoliday(d.Holidays)))
	anyStaff.DELETE("/calendar/holidays/:date", web.Handle(holiday.DeleteHoliday(d.Holidays)))

	// Transport: public reads, bookings (retry-safe with Idempotency-Key),
	// and the transport department's writes.
	v1.GET("/transport/modes", web.Handle(transport.ListModes(d.Transport)))
	v1.GET("/transport/routes", web.Handle(transport.ListRoutes(d.Transport, d.Pager)))
	v1.GET("/transport/routes/:id", web.Handle(transport.GetRoute(d.Transport)))
	v1.GET("/transport/stops", web.Handle(transport.ListStops(d.Transport, d.Pager)))
	v1.GET("/transport/trips", web.Handle(transport.ListTrips(d.Transport, d.Pager)))
	v1.GET("/transport/trips/:id", web.Handle(transport.GetTrip(d.Transport)))
	v1.GET("/transport/tickets/public-key", web.Handle(transport.GetTicketKey(d.Transport)))
	v1.GET("/transport/schedules", web.Handle(transport.ListSchedules(d.Transport, d.Pager)))
	v1.GET("/transport/schedules/:id", web.Handle(transport.GetSchedule(d.Transport)))
	v1.GET("/transport/gtfs.zip", web.Handle(transport.GetGTFSFeed(d.Transport)))
	user.POST("/transport/trips/:id/bookings", d.Idempotency.Middleware(transport.ReplayBooking(d.Transport)),
		web.Handle(transport.Book(d.Transport)))
	user.GET("/me/bookings", web.Handle(transport.ListMyBookings(d.Transport, d.Pager)))
	user.GET("/me/bookings/:id", web.Handle(transport.GetMyBooking(d.Transport)))
	user.POST("/me/bookings/:id/cancel", web.Handle(transport.CancelMyBooking(d.Transport)))
	transportStaff := v1.Group("", auth.RequireStaff(identity.DeptTransport))
	transportStaff.POST("/transport/modes", web.Handle(transport.CreateMode(d.Transport)))
	transportStaff.PATCH("/transport/modes/:code", web.Handle(transport.UpdateMode(d.Transport)))
	transportStaff.DELETE("/transport/modes/:code", web.Handle(transport.DeleteMode(d.Transport)))
	transportStaff.POST("/transport/stops", web.Handle(transport.CreateStop(d.Transport)))
	transportStaff.PATCH("/transport/stops/:id", web.Handle(transport.UpdateStop(d.Transport)))
	transportStaff.DELETE("/transport/stops/:id", web.Handle(transport.DeleteStop(d.Transport)))
	transportStaff.POST("/transport/routes", web.Handle(transport.CreateRoute(d.Transport)))
	transportStaff.PATCH("/transport/routes/:id", web.Handle(transport.UpdateRoute(d.Transport)))
	transportStaff.DELETE("/transport/routes/:id", web.Handle(transport.DeleteRoute(d.Transport)))
	transportStaff.POST("/transport/trips", web.Handle(transport.CreateTrip(d.Transport)))
	transportStaff.PATCH("/transport/trips/:id", web.Handle(transport.UpdateTrip(d.Transport)))
	transportStaff.DELETE("/transport/trips/:id", web.Handle(transport.DeleteTrip(d.Transport)))
	transportStaff.GET("/transport/bookings", web.Handle(transport.ListBookings(d.Transport, d.Pager)))
	transportStaff.POST("/transport/bookings/check-in", web.Handle(transport.CheckInBooking(d.Transport)))
	transportStaff.GET("/transport/trips/:id/manifest", web.Handle(transport.GetTripManifest(d.Transport)))
	transportStaff.POST("/transport/schedules", web.Handle(transport.CreateSchedule(d.Transport)))
	transportStaff.PATCH("/transport/schedules/:id", web.Handle(transport.UpdateSchedule(d.Transport)))
	transportStaff.DELETE("/transport/schedules/:id", web.Handle(transport.DeleteSchedule(d.Transport)))
	transportStaff.POST("/transport/schedules/:id/generate", web.Handle(transport.GenerateTrips(d.Transport)))
	transportStaff.GET("/staff/summary/transport", web.Handle(transport.GetSeatFill(d.Transport)))

	// Local tax: the citizen's profile, objects and bills; the lookup by NOP
	// for any signed-in user; the revenue department's review and writes.
	user.PUT("/me/citizen-profile", web.Handle(tax.PutMyProfile(d.Tax)))
	user.GET("/me/citizen-profile", web.Handle(tax.GetMyProfile(d.Tax)))
	user.GET("/me/tax-objects", web.Handle(tax.ListMyObjects(d.Tax, d.Pager)))
	user.GET("/me/tax-bills", web.Handle(tax.ListMyBills(d.Tax, d.Pager)))
	user.GET("/taxes/bills/lookup", web.Handle(tax.LookupBills(d.Tax)))
	user.GET("/taxes/bills/:id", web.Handle(tax.GetBill(d.Tax))) // owner or revenue staff; others 404
	revenue := v1.Group("", auth.RequireStaff(identity.DeptRevenue))
	revenue.GET("/staff/citizen-profiles", web.Handle(tax.ListProfiles(d.Tax, d.Pager)))
	revenue.POST("/staff/citizen-profiles/:userId/verify", web.Handle(tax.VerifyProfile(d.Tax)))
	revenue.POST("/staff/citizen-profiles/:userId/reject", web.Handle(tax.RejectProfile(d.Tax)))
	revenue.POST("/taxes/objects", web.Handle(tax.CreateObject(d.Tax)))
	revenue.PATCH("/taxes/objects/:id", web.Handle(tax.UpdateObject(d.Tax)))
	revenue.POST("/taxes/bills", web.Handle(tax.CreateBill(d.Tax)))

	// Payments: any signed-in user pays a bill (retry-safe with
	// Idempotency-Key); the gateway's signed notifications come in without a
	// token; revenue staff and admins settle in the sandbox. With
	// PAYMENT_GATEWAY=none they all answer 503.
	pay := web.RequireEnabled(d.Config.PaymentsEnabled(), "Payments are not available on this instance.")
	user.POST("/taxes/bills/:id/payments", pay, d.Idempotency.Middleware(payment.ReplayPayment(d.Payments)),
		web.Handle(payment.PayTaxBill(d.Payments)))
	user.GET("/me/payments/:id", pay, web.Handle(payment.GetMyPayment(d.Payments)))
	user.GET("/me/payments/:id/receipt", pay, web.Handle(payment.GetMyReceipt(d.Payments)))
	user.GET("/me/payments/:id/receipt.pdf", pay, web.Handle(payment.GetMyReceiptPDF(d.Payments)))
	public.POST("/payments/webhook", pay, web.Handle(payment.Webhook(d.Payments)))
	v1.GET("/receipts/:ntpd", web.Handle(payment.CheckReceipt(d.Payments))) // public: what a receipt's QR code opens
	revenue.POST("/sandbox/payments/:id/settle", pay, web.Handle(payment.SettleSandbox(d.Payments)))
	revenue.GET("/staff/payments", pay, web.Handle(payment.ListPayments(d.Payments, d.Pager)))
	// The dashboard works without a gateway too (it says which one is configured).
	owed := func(ctx context.Context) (payment.Outstanding, error) {
		o, err := d.Tax.Outstanding(ctx)
		return payment.Outstanding(o), err
	}
	revenue.GET("/staff/summary/revenue", web.Handle(payment.GetRevenueSummary(d.Payments, owed, d.Config.PaymentGateway)))

	// Permits: public types and verification; applications by their
	// owners (create retry-safe with Idempotency-Key), seen and moved by
	// licensing staff; the service decides owner / staff / other per
	// application (403 for staff of another department, 404 for others).
	v1.GET("/permits/types", web.Handle(permit.ListTypes(d.Permits)))
	v1.GET("/permits/verify/:code", web.Handle(permit.VerifyPermit(d.Permits)))
	user.POST("/permits/applications", d.Idempotency.Middleware(permit.ReplayApplication(d.Permits)),
		web.Handle(permit.CreateApplication(d.Permits)))
	user.GET("/me/permit-applications", web.Handle(permit.ListMyApplications(d.Permits, d.Pager)))
	user.GET("/permits/applications/:id", web.Handle(permit.GetApplication(d.Permits)))
	user.PATCH("/permits/applications/:id", web.Handle(permit.EditApplication(d.Permits)))
	user.POST("/permits/applications/:id/submit", web.Handle(permit.SubmitApplication(d.Permits)))
	user.POST("/permits/applications/:id/transitions", web.Handle(permit.TransitionApplication(d.Permits)))
	user.POST("/permits/applications/:id/documents", web.Handle(permit.UploadDocument(d.Permits)))
	user.GET("/permits/applications/:id/documents/:docId", web.Handle(permit.GetDocument(d.Permits)))
	user.GET("/permits/applications/:id/letter", web.Handle(permit.GetLetter(d.Permits)))
	licensing := v1.Group("", auth.RequireStaff(identity.DeptLicensing))
	licensing.POST("/permits/types", web.Handle(permit.CreateType(d.Permits)))
	licensing.PUT("/permits/types/:code", web.Handle(permit.UpdateType(d.Permits)))
	licensing.GET("/staff/permit-applications", web.Handle(permit.ListQueue(d.Permits, d.Pager)))
	licensing.GET("/staff/summary/licensing", web.Handle(permit.GetSummary(d.Permits)))

	user.GET("/me/notifications", web.Handle(notification.List(d.Notifications, d.Pager)))
	user.POST("/me/notifications/:id/read", web.Handle(notification.MarkRead(d.Notifications)))

	admin := v1.Group("/admin", auth.RequireAdmin())
	admin.GET("/users", web.Handle(identity.ListUsers(d.Identity, d.Pager)))
	admin.PATCH("/users/:id", web.Handle(identity.PatchUser(d.Identity)))
	admin.GET("/audit-log", web.Handle(audit.List(d.Audit, d.Pager)))
}
