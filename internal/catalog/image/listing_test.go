package image_test

import (
	"github.com/solodestination/api/internal/apitest"
)

type listing = apitest.Listing
