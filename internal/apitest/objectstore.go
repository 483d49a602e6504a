package apitest

import (
	"github.com/solodestination/api/internal/platform/config"
	"github.com/solodestination/api/internal/platform/storage/storagetest"
)

// ObjectStore keeps the API's files in srv, an S3 server of the test's own,
// instead of DATA_DIR; replicas copy the configuration and so share it.
func ObjectStore(srv *storagetest.S3) Option {
	return func(cfg *config.Config) {
		cfg.StorageURL = srv.URL
		cfg.StorageAccessKeyID = srv.AccessKeyID
		cfg.StorageSecretAccessKey = srv.SecretAccessKey
	}
}
