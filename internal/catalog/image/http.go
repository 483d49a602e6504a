package image

import (
	"net/http"
	"time"

	"github.com/gin-gonic/gin"
	"github.com/google/uuid"

	"github.com/solodestination/api/internal/catalog/kind"
	"github.com/solodestination/api/internal/identity"
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
//	@Description	multipart/form-data with one `file` (JPEG, PNG or WebP, at most 5 MiB, recognised by its bytes, not its name or declared type) and an optional `caption`. Images may be at most 8000 pixels wide and high and 40 megapixels. The image is decoded and encoded again before it is stored: trailing bytes and all metadata (EXIF, GPS) are dropped, the EXIF orientation is applied so photos stand upright, and WebP is stored as PNG (with transparency) or JPEG (without), so `content_type` and `url` name the stored format. Listings in any status accept photos. The photo is served from the returned `url` with year-long cache headers.
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
//	@Failure		409		{object}	problem.Problem	"the listing already holds 100 images (code image_limit)"
//	@Failure		413		{object}	problem.Problem	"image over 5 MiB (code payload_too_large)"
//	@Failure		415		{object}	problem.Problem	"not multipart/form-data, or not a JPEG, PNG or WebP image (code unsupported_media_type)"
//	@Failure		422		{object}	problem.Problem	"file missing, empty or not a readable image, image over 8000 pixels a side or 40 megapixels, caption too long (code validation_failed)"
//	@Failure		503		{object}	problem.Problem	"too many images being processed at once; retry after Retry-After (code unavailable)"
//	@Header			503		{integer}	Retry-After	"seconds to wait"
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

// uploadForm is what an image upload may hold. Four bytes per character is
// the UTF-8 worst case, so a longer caption cannot be valid.
var uploadForm = storage.FormSpec{File: "file", MaxBytes: MaxBytes, Fields: map[string]int64{"caption": 4 * MaxCaptionLen}}

func readUpload(r *http.Request) (Upload, error) {
	form, err := storage.ReadForm(r, uploadForm)
	if err != nil {
		return Upload{}, err
	}
	return Upload{Data: form.File, Caption: form.Values["caption"]}, nil
}

// orderRequest is the new order of a listing's images.
type orderRequest struct {
	IDs []uuid.UUID `json:"ids" binding:"required" validate:"max=100" example:"0193a5b3-2222-7222-8333-444455556666,0193a5b3-1111-7222-8333-444455556666" format:"uuid" minLength:"36" maxLength:"36"`
} // @name ImageOrderRequest

// imageList is a listing's images in display order.
type imageList struct {
	Data []imageResponse `json:"data" validate:"max=100"`
} // @name StoredImageList

// Reorder handles PUT /api/v1/{kind}/{id}/images/order for one kind.
//
//	@Summary		Reorder a listing's photos
//	@ID				reorderListingImages
//	@Description	`ids` lists every image of the listing exactly once, in the order the listing should show them (the first is its cover); an id missing, repeated or not of this listing is a 422 on `ids` and nothing changes. Reorders of one listing run one after another, so concurrent ones never mix: the last one wins whole. Answers the images in their new order, `position` counting from 0; public listing responses show the new order at once.
//	@Tags			images
//	@Accept			json
//	@Produce		json
//	@Security		BearerAuth
//	@Param			kind	path		string			true	"Listing kind"			Enums(attractions, culinary, events)
//	@Param			id		path		string			true	"Listing ID or slug"	maxLength(100)	extensions(x-pattern=idOrSlug)
//	@Param			body	body		orderRequest	true	"Every image id of the listing, in the new order (at most 100)"
//	@Success		200		{object}	imageList
//	@Failure		400		{object}	problem.Problem	"malformed JSON or an id that is not a UUID"
//	@Failure		401		{object}	problem.Problem
//	@Failure		403		{object}	problem.Problem	"not tourism staff"
//	@Failure		404		{object}	problem.Problem	"no listing of this kind with this id or slug"
//	@Failure		415		{object}	problem.Problem	"body is not JSON"
//	@Failure		422		{object}	problem.Problem	"ids is not exactly the listing's image ids, each once (code validation_failed)"
//	@Router			/{kind}/{id}/images/order [put]
func Reorder(svc *Service, k kind.Kind) web.HandlerFunc {
	return func(c *gin.Context) error {
		var in orderRequest
		if err := web.BindJSON(c, &in); err != nil {
			return err
		}
		ctx := c.Request.Context()
		ims, err := svc.Reorder(ctx, identity.ActorFrom(ctx), k, c.Param("id"), in.IDs)
		if err != nil {
			return err
		}
		out := imageList{Data: make([]imageResponse, len(ims))}
		for i, im := range ims {
			out.Data[i] = toResponse(im)
		}
		c.JSON(http.StatusOK, out)
		return nil
	}
}
