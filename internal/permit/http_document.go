package permit

import (
	"net/http"

	"github.com/gin-gonic/gin"

	"github.com/solodestination/api/internal/holiday"
	"github.com/solodestination/api/internal/identity"
	"github.com/solodestination/api/internal/platform/apperr"
	"github.com/solodestination/api/internal/platform/storage"
	"github.com/solodestination/api/internal/platform/web"
)

// UploadDocument handles POST /api/v1/permits/applications/{id}/documents.
//
//	@Summary		Add a document to my application
//	@Description	multipart/form-data with one `file` and the document's `code` (one of the type's `documents[].code`). The applicant adds documents while the application is a `draft` or `needs_revision`; a second file of the same code replaces the first, which stays in the application's history. The format is recognised by the file's bytes, never its name or declared type, and must be one the document accepts: a PDF renamed .jpg, HTML sent as a PDF, a file carrying a second format's signature or data after its format's end, a PDF without a sound cross-reference table or with active content (JavaScript, launch actions, embedded files, XFA) → 415. Images are decoded and encoded again. Over the document's `max_bytes` (at most 10 MiB) → 413. The stored name keeps the client's base name made safe, with the detected format's extension; `sha256` is of the stored bytes. A refused file leaves nothing stored.
//	@ID				uploadPermitDocument
//	@Tags			permits
//	@Accept			mpfd
//	@Produce		json
//	@Security		BearerAuth
//	@Param			id		path		string	true	"Application ID"										format(uuid)	maxLength(36)
//	@Param			file	formData	file	true	"The document: PDF, JPEG or PNG as the document accepts, at most its max_bytes"
//	@Param			code	formData	string	true	"The document's code, e.g. ktp"						maxlength(40)
//	@Success		201		{object}	storedDocumentResponse
//	@Failure		400		{object}	problem.Problem	"malformed multipart body"
//	@Failure		403		{object}	problem.Problem	"not the applicant"
//	@Failure		404		{object}	problem.Problem	"no such application, or not yours"
//	@Failure		409		{object}	problem.Problem	"not_editable: the application is not a draft nor sent back for revision"
//	@Failure		413		{object}	problem.Problem	"file over the document's max_bytes (payload_too_large)"
//	@Failure		415		{object}	problem.Problem	"not multipart/form-data, or not exactly a format the document accepts (unsupported_media_type)"
//	@Failure		422		{object}	problem.Problem	"file or code missing, unknown code, an unreadable image"
//	@Failure		503		{object}	problem.Problem	"too many images being processed at once; retry after Retry-After"
//	@Header			503		{integer}	Retry-After	"seconds to wait"
//	@Router			/permits/applications/{id}/documents [post]
func UploadDocument(svc *Service) web.HandlerFunc {
	return func(c *gin.Context) error {
		id, err := web.PathUUID(c, "id")
		if err != nil {
			return err
		}
		form, err := storage.ReadForm(c.Request, storage.FormSpec{File: "file", MaxBytes: maxDocumentSize,
			Fields: map[string]int64{"code": 40}})
		if err != nil {
			return err
		}
		code := form.Values["code"]
		if code == "" {
			return apperr.FieldInvalid("code", "is required")
		}
		ctx := c.Request.Context()
		d, err := svc.Upload(ctx, identity.ActorFrom(ctx), id, code, form.Filename, form.File)
		if err != nil {
			return err
		}
		c.Header("Location", "/api/v1/permits/applications/"+id.String()+"/documents/"+d.ID.String())
		c.Header("Cache-Control", "private, no-store")
		c.JSON(http.StatusCreated, storedDocumentResponse{ID: d.ID, Code: d.Code, Filename: d.Filename,
			ContentType: d.ContentType, Size: d.Size, SHA256: d.SHA256, UploadedAt: d.UploadedAt.In(holiday.WIB)})
		return nil
	}
}

// GetDocument handles GET /api/v1/permits/applications/{id}/documents/{docId}.
//
//	@Summary		Download a document of an application
//	@Description	The document's bytes as an attachment (`Content-Disposition: attachment`, `X-Content-Type-Options: nosniff`, `Cache-Control: private, no-store`), current or replaced. Its applicant and licensing staff (and admins) may; staff of another department → 403; anyone else → 404.
//	@ID				getPermitDocument
//	@Tags			permits
//	@Produce		application/pdf,image/jpeg,image/png
//	@Security		BearerAuth
//	@Param			id		path		string	true	"Application ID"	format(uuid)	maxLength(36)
//	@Param			docId	path		string	true	"Document ID"		format(uuid)	maxLength(36)
//	@Success		200		{file}		binary
//	@Failure		403		{object}	problem.Problem	"staff of another department"
//	@Failure		404		{object}	problem.Problem	"no such application or document, or not yours"
//	@Router			/permits/applications/{id}/documents/{docId} [get]
func GetDocument(svc *Service) web.HandlerFunc {
	return func(c *gin.Context) error {
		id, err := web.PathUUID(c, "id")
		if err != nil {
			return err
		}
		docID, err := web.PathUUID(c, "docId")
		if err != nil {
			return err
		}
		ctx := c.Request.Context()
		d, err := svc.Document(ctx, identity.ActorFrom(ctx), id, docID)
		if err != nil {
			return err
		}
		return svc.SendDocument(c, d)
	}
}
