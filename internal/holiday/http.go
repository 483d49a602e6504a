package holiday

import (
	"net/http"
	"strconv"
	"strings"

	"github.com/gin-gonic/gin"

	"github.com/solodestination/api/internal/platform/apperr"
	"github.com/solodestination/api/internal/platform/web"
	"github.com/solodestination/api/pkg/civil"
)

const maxName = 200

type holidayResponse struct {
	Date   string `json:"date" format:"date" example:"2026-12-25" maxLength:"10"`
	Kind   string `json:"kind" enums:"holiday,cuti_bersama" example:"holiday"`
	Name   any    `json:"name" extensions:"x-localized=200"`
	Source string `json:"source" example:"SKB-2026" maxLength:"100"` // the decree, or "staff"
} // @name Holiday

func toResponse(h Holiday, l web.Lang) holidayResponse {
	out := holidayResponse{Date: h.Date.String(), Kind: string(h.Kind), Source: h.Source}
	if l == web.LangAll {
		out.Name = h.Name
	} else {
		out.Name = l.Pick(h.Name.ID, h.Name.EN)
	}
	return out
}

type holidayList struct {
	Year int               `json:"year" example:"2026" minimum:"2000" maximum:"2100" format:"int32"`
	Data []holidayResponse `json:"data" validate:"max=366"`
} // @name HolidayList

// ListHolidays handles GET /api/v1/calendar/holidays.
//
//	@Summary		National holidays and cuti bersama of a year
//	@Description	Indonesia's national holidays (`holiday`) and collective leave days (`cuti_bersama`) of `?year=` (default: this year in Asia/Jakarta), by date. The decreed years are built in; staff add the years not decreed yet. Names are in `?lang=` or `Accept-Language`; `?lang=all` returns `{id, en}` objects. Sends an `ETag` and answers `If-None-Match` with 304.
//	@ID				listHolidays
//	@Tags			calendar
//	@Produce		json
//	@Param			year			query		int		false	"Year"	minimum(2000)	maximum(2100)	format(int32)
//	@Param			lang			query		string	false	"Language of the names: id, en or all; any other value means id"	maxLength(4096)
//	@Param			If-None-Match	header		string	false	"ETag of a copy the client holds"	maxLength(65536)
//	@Success		200				{object}	holidayList
//	@Success		304				"not modified"
//	@Failure		400				{object}	problem.Problem	"bad year"
//	@Router			/calendar/holidays [get]
func ListHolidays(svc *Service) web.HandlerFunc {
	return func(c *gin.Context) error {
		year := svc.ThisYear()
		if raw := c.Query("year"); raw != "" {
			y, err := strconv.Atoi(raw)
			if err != nil || y < MinYear || y > MaxYear {
				return apperr.BadRequest("year must be a year from 2000 to 2100.")
			}
			year = y
		}
		hs, err := svc.Year(c.Request.Context(), year)
		if err != nil {
			return err
		}
		l := web.RequestLang(c)
		out := holidayList{Year: year, Data: make([]holidayResponse, len(hs))}
		for i, h := range hs {
			out.Data[i] = toResponse(h, l)
		}
		web.SetLangHeaders(c, l)
		return web.WriteCacheable(c, out, "public, no-cache")
	}
}

type putHolidayRequest struct {
	Kind Kind  `json:"kind" enums:"holiday,cuti_bersama" swaggertype:"string" example:"holiday"`
	Name *Text `json:"name"`
} // @name PutHolidayRequest

func (r *putHolidayRequest) Normalize() {
	if r.Name != nil {
		r.Name.ID, r.Name.EN = strings.TrimSpace(r.Name.ID), strings.TrimSpace(r.Name.EN)
	}
}

func (r *putHolidayRequest) Validate() map[string]string {
	p := map[string]string{}
	if !r.Kind.Valid() {
		p["kind"] = "must be holiday or cuti_bersama"
	}
	switch {
	case r.Name == nil:
		p["name"] = "is required"
	case r.Name.ID == "":
		p["name.id"] = "is required"
	case len([]rune(r.Name.ID)) > maxName:
		p["name.id"] = "is too long"
	case len([]rune(r.Name.EN)) > maxName:
		p["name.en"] = "is too long"
	}
	return p
}

func pathDate(c *gin.Context) (civil.Date, error) {
	d, err := civil.Parse(c.Param("date"))
	if err != nil || d.Year < MinYear || d.Year > MaxYear {
		return civil.Date{}, apperr.BadRequest("The date must be YYYY-MM-DD, in 2000 to 2100.")
	}
	return d, nil
}

// PutHoliday handles PUT /api/v1/calendar/holidays/{date}.
//
//	@Summary		Set a holiday
//	@Description	Makes the date a national holiday or a cuti bersama day with this name, replacing what the date had (a removed date comes back). 201 when the date was not a holiday, else 200. Staff of any department and administrators. Audited.
//	@ID				putHoliday
//	@Tags			calendar
//	@Accept			json
//	@Produce		json
//	@Security		BearerAuth
//	@Param			date	path	string	true	"The date, YYYY-MM-DD"	format(date)	maxLength(10)
//	@Param			body	body	putHolidayRequest	true	"Kind and name"
//	@Success		200	{object}	holidayResponse
//	@Success		201	{object}	holidayResponse
//	@Failure		400	{object}	problem.Problem	"malformed JSON or date"
//	@Failure		403	{object}	problem.Problem	"not staff"
//	@Failure		422	{object}	problem.Problem	"a field breaks its rules"
//	@Router			/calendar/holidays/{date} [put]
func PutHoliday(svc *Service) web.HandlerFunc {
	return func(c *gin.Context) error {
		d, err := pathDate(c)
		if err != nil {
			return err
		}
		var in putHolidayRequest
		if err := web.BindJSON(c, &in); err != nil {
			return err
		}
		h, created, err := svc.Put(c.Request.Context(), d, in.Kind, *in.Name)
		if err != nil {
			return err
		}
		status := http.StatusOK
		if created {
			status = http.StatusCreated
		}
		c.JSON(status, toResponse(h, web.LangAll))
		return nil
	}
}

// DeleteHoliday handles DELETE /api/v1/calendar/holidays/{date}.
//
//	@Summary		Remove a holiday
//	@Description	The date is a working day again (unless a weekend); a date from the built-in decree list stays removed. Staff of any department and administrators. Audited.
//	@ID				deleteHoliday
//	@Tags			calendar
//	@Security		BearerAuth
//	@Param			date	path	string	true	"The date, YYYY-MM-DD"	format(date)	maxLength(10)
//	@Success		204
//	@Failure		400	{object}	problem.Problem	"malformed date"
//	@Failure		403	{object}	problem.Problem	"not staff"
//	@Failure		404	{object}	problem.Problem	"not a holiday"
//	@Router			/calendar/holidays/{date} [delete]
func DeleteHoliday(svc *Service) web.HandlerFunc {
	return func(c *gin.Context) error {
		d, err := pathDate(c)
		if err != nil {
			return err
		}
		if err := svc.Delete(c.Request.Context(), d); err != nil {
			return err
		}
		c.Status(http.StatusNoContent)
		return nil
	}
}
