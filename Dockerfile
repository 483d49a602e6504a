# syntax=docker/dockerfile:1
# Build a static binary (pure-Go SQLite, no cgo), then ship it alone on a
# distroless base as a non-root user.
FROM golang:1.26-bookworm AS build
WORKDIR /src
COPY go.mod go.sum ./
RUN go mod download
COPY . .
RUN CGO_ENABLED=0 go build -trimpath -ldflags="-s -w" -o /out/api ./cmd/api

FROM gcr.io/distroless/static-debian12:nonroot
COPY --from=build /out/api /api
# SQLite file, generated development secrets and uploads live here; mount a
# volume to keep them.
WORKDIR /data
ENV HTTP_ADDR=:8080 DATA_DIR=/data
EXPOSE 8080
USER nonroot:nonroot
# The image has no shell or curl: the binary checks its own /healthz on HTTP_ADDR.
HEALTHCHECK --interval=15s --timeout=5s --start-period=60s --retries=3 CMD ["/api", "healthcheck"]
ENTRYPOINT ["/api"]
CMD ["serve"]
