package image

import (
	"errors"
	"io"
	"mime"
	"mime/multipart"
	"net/http"
	"strings"
	"time"

	"github.com/gin-gonic/gin"
	"github.com/google/uuid"

	"github.com/solodestination/api/internal/catalog/kind"
	"github.com/solodestination/api/internal/identity"
	"github.com/solodestination/api/internal/platform/apperr"
	"github.com/solodestination/api/internal/platform/storage"
	"github.com/solodestination/api/internal/platform/web"
)

type imageResponse struct {
	ID          uuid.UUID `json:"id" example:"0193a5b3-1111-7222-8333-444455556666" format:"uuid" maxLength:"36"`
	ListingID   uuid.UUID `json:"listing_id" example:"0193a5b2-7c1e-7d3f-9a42-1b2c3d4e5f60" format:"uuid" maxLength:"36"`
	URL         string    `json:"url" example:"/media/listings/0193a5b2-7c1e-7d3f-9a42-1b2c3d4e5f60/0193a5b3-1111-7222-8333-444455556666.webp" maxLength:"600"`
	Caption     string    `json:"caption" example:"Gerbang utama keraton" maxLength:"200"`
	ContentType string    `json:"content_type" enums:"image/jpeg,image/png,image/webp" example:"image/webp"`
	SizeBytes   int64     `json:"size_bytes" example:"183422" format:"int64" minimum:"1" maximum:"5242880"`
	Position    int       `json:"position" example:"0" format:"int32" minimum:"0" maximum:"2147483647"`
	CreatedAt   time.Time `json:"created_at" format:"date-time" maxLength:"35"`
} // @name StoredImage

func toResponse(im Image) imageResponse {
	return imageResponse{ID: im.ID, ListingID: im.ListingID, URL: storage.URL(im.Key), Caption: im.Caption,
		ContentType: im.ContentType, SizeBytes: im.Size, Position: im.Position, CreatedAt: im.CreatedAt}
}

// Create handles POST /api/v1/{kind}/{id}/images for one kind.
//
//	@Summary		Add a photo to a listing
//	@ID				addListingImage
//	@Description	multipart/form-data with one `file` (JPEG, PNG or WebP, at most 5 MiB, recognised by its bytes, not its name or declared type) and an optional `caption`. Listings in any status accept photos. The photo is served from the returned `url` with year-long cache headers.
//	@Tags			images
//	@Accept			mpfd
//	@Produce		json
//	@Security		BearerAuth
//	@Param			kind	path		string	true	"Listing kind"			Enums(attractions, culinary, events)
//	@Param			id		path		string	true	"Listing ID or slug"	maxLength(100)	extensions(x-pattern=idOrSlug)
//	@Param			file	formData	file	true	"The image: JPEG, PNG or WebP, at most 5 MiB"
//	@Param			caption	formData	string	false	"Caption, at most 200 characters"	maxlength(200)
//	@Success		201		{object}	imageResponse
//	@Failure		400		{object}	problem.Problem	"malformed multipart body"
//	@Failure		401		{object}	problem.Problem
//	@Failure		403		{object}	problem.Problem	"not tourism staff"
//	@Failure		404		{object}	problem.Problem	"no listing of this kind with this id or slug"
//	@Failure		413		{object}	problem.Problem	"image over 5 MiB (code payload_too_large)"
//	@Failure		415		{object}	problem.Problem	"not multipart/form-data, or not a JPEG, PNG or WebP image (code unsupported_media_type)"
//	@Failure		422		{object}	problem.Problem	"file missing or empty, caption too long"
//	@Router			/{kind}/{id}/images [post]
func Create(svc *Service, k kind.Kind) web.HandlerFunc {
	return func(c *gin.Context) error {
		up, err := readUpload(c.Request)
		if err != nil {
			return err
		}
		ctx := c.Request.Context()
		im, err := svc.Add(ctx, identity.ActorFrom(ctx), k, c.Param("id"), up)
		if err != nil {
			return err
		}
		c.Header("Location", storage.URL(im.Key))
		c.JSON(http.StatusCreated, toResponse(im))
		return nil
	}
}

// Delete handles DELETE /api/v1/{kind}/{id}/images/{imageId} for one kind.
//
//	@Summary		Remove a photo from a listing
//	@ID				deleteListingImage
//	@Description	Deletes the image record and then its file; its URL stops working.
//	@Tags			images
//	@Security		BearerAuth
//	@Param			kind	path	string	true	"Listing kind"			Enums(attractions, culinary, events)
//	@Param			id		path	string	true	"Listing ID or slug"	maxLength(100)	extensions(x-pattern=idOrSlug)
//	@Param			imageId	path	string	true	"Image ID"				format(uuid)	maxLength(36)
//	@Success		204
//	@Failure		401	{object}	problem.Problem
//	@Failure		403	{object}	problem.Problem	"not tourism staff"
//	@Failure		404	{object}	problem.Problem	"no such listing, or no such image of this listing"
//	@Router			/{kind}/{id}/images/{imageId} [delete]
func Delete(svc *Service, k kind.Kind) web.HandlerFunc {
	return func(c *gin.Context) error {
		id, err := web.PathUUID(c, "imageId")
		if err != nil {
			return err
		}
		ctx := c.Request.Context()
		if err := svc.Remove(ctx, identity.ActorFrom(ctx), k, c.Param("id"), id); err != nil {
			return err
		}
		c.Status(http.StatusNoContent)
		return nil
	}
}

// readUpload streams the multipart body, keeping at most MaxBytes+1 of the
// file in memory: one byte over is enough to know it is too large.
func readUpload(r *http.Request) (Upload, error) {
	mt, _, err := mime.ParseMediaType(r.Header.Get("Content-Type"))
	if err != nil || mt != "multipart/form-data" {
		return Upload{}, &apperr.Error{Kind: apperr.UnsupportedMediaType, Code: "unsupported_media_type",
			Detail: "Send the image as multipart/form-data with a \"file\" field."}
	}
	mr, err := r.MultipartReader()
	if err != nil {
		return Upload{}, apperr.BadRequest("The multipart body could not be read.")
	}
	var (
		up      Upload
		hasFile bool
	)
	for {
		part, err := mr.NextPart()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return Upload{}, readError(err)
		}
		switch part.FormName() {
		case "file":
			if hasFile {
				part.Close()
				return Upload{}, apperr.FieldInvalid("file", "send exactly one file")
			}
			hasFile = true
			if up.Data, err = io.ReadAll(io.LimitReader(part, MaxBytes+1)); err != nil {
				return Upload{}, readError(err)
			}
			if len(up.Data) > MaxBytes {
				return Upload{}, tooLarge()
			}
		case "caption":
			// Four bytes per character is the UTF-8 worst case; more cannot be valid.
			b, err := io.ReadAll(io.LimitReader(part, 4*MaxCaptionLen+1))
			if err != nil {
				return Upload{}, readError(err)
			}
			up.Caption = strings.TrimSpace(string(b))
		default:
			if _, err := io.Copy(io.Discard, part); err != nil {
				return Upload{}, readError(err)
			}
		}
		part.Close()
	}
	if !hasFile {
		return Upload{}, apperr.FieldInvalid("file", "is required")
	}
	return up, nil
}

func readError(err error) error {
	var tooBig *http.MaxBytesError
	if errors.As(err, &tooBig) {
		return web.PayloadTooLarge(tooBig.Limit)
	}
	if errors.Is(err, multipart.ErrMessageTooLarge) {
		return tooLarge()
	}
	return apperr.BadRequest("The multipart body could not be read.")
}
