package transport

import (
	"context"
	"net/http"
	"strconv"
	"sync"

	"github.com/gin-gonic/gin"

	"github.com/solodestination/api/internal/platform/web"
)

// gtfsCacheControl: feeds are fetched by schedulers and journey planners
// that may keep a copy for a few minutes and then revalidate cheaply.
const gtfsCacheControl = "public, max-age=300"

// gtfsCache keeps the last built feed with the data version it was built
// from, so a request that finds the data unchanged costs one small query.
type gtfsCache struct {
	mu      sync.Mutex
	version string
	feed    GTFSFeed
}

func (c *gtfsCache) get(ctx context.Context, svc *Service) (GTFSFeed, error) {
	first, last := svc.gtfsWindow()
	version, err := svc.gtfsVersion(ctx, first, last)
	if err != nil {
		return GTFSFeed{}, err
	}
	// One build at a time: concurrent requests for a changed feed wait for
	// the first one's bytes instead of building their own.
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.version == version && c.feed.Body != nil {
		return c.feed, nil
	}
	feed, err := svc.buildGTFS(ctx, first, last)
	if err != nil {
		return GTFSFeed{}, err
	}
	c.version, c.feed = version, feed
	return feed, nil
}

// GetGTFSFeed handles GET /api/v1/transport/gtfs.zip.
//
//	@Summary		GTFS static feed
//	@Description	The routes, stops, trips and fares as a GTFS static feed (a zip of CSV files, UTF-8): agency, stops, routes, trips, stop_times, calendar, calendar_dates, fare_attributes, fare_rules, shapes, translations (English names) and feed_info. It covers the service dates from 7 days back to 120 days ahead in Asia/Jakarta. A weekly schedule's trips become one GTFS trip per departure time with a service inferred from their dates (`calendar.txt` weekdays; `calendar_dates.txt` removes days without a run and adds runs off the pattern); a one-off trip has a service of its date in `calendar_dates.txt`. Cancelled trips are left out. Times at the stops between the first and the last are interpolated by distance (`timepoint` 0); a trip past midnight counts on (`24:30:00`). Route types: rail 2 for the steam train, bus 3 for buses and electric cars, 1702 (horse-drawn carriage, extended) for the andong. `calendar.txt`, `calendar_dates.txt`, the fare files, `shapes.txt` and `translations.txt` are left out when they would be empty. Sends a strong `ETag` and `Last-Modified`; answers `If-None-Match` or `If-Modified-Since` with 304.
//	@ID				getGtfsFeed
//	@Tags			transport
//	@Produce		application/zip
//	@Param			If-None-Match		header		string	false	"ETag of a copy the client holds"	maxLength(65536)
//	@Param			If-Modified-Since	header		string	false	"Last-Modified of a copy the client holds (used without If-None-Match; a value that is not an HTTP date is ignored)"	maxLength(65536)
//	@Success		200					{file}		binary	"the feed (Content-Disposition: attachment; filename=gtfs.zip)"
//	@Success		304					"not modified"
//	@Router			/transport/gtfs.zip [get]
func GetGTFSFeed(svc *Service) web.HandlerFunc {
	cache := &gtfsCache{}
	return func(c *gin.Context) error {
		feed, err := cache.get(c.Request.Context(), svc)
		if err != nil {
			return err
		}
		h := c.Writer.Header()
		h.Set("ETag", feed.ETag)
		h.Set("Last-Modified", feed.LastModified.UTC().Format(http.TimeFormat))
		h.Set("Cache-Control", gtfsCacheControl)
		if notModified(c.Request, feed) {
			c.Status(http.StatusNotModified)
			return nil
		}
		h.Set("Content-Disposition", `attachment; filename="gtfs.zip"`)
		h.Set("Content-Length", strconv.Itoa(len(feed.Body)))
		c.Data(http.StatusOK, "application/zip", feed.Body)
		return nil
	}
}

// notModified applies RFC 9110's order: If-None-Match when sent, else
// If-Modified-Since.
func notModified(r *http.Request, feed GTFSFeed) bool {
	if inm := r.Header.Get("If-None-Match"); inm != "" {
		return web.ETagMatches(inm, feed.ETag)
	}
	ims, err := http.ParseTime(r.Header.Get("If-Modified-Since"))
	return err == nil && !feed.LastModified.After(ims)
}
