package catalog

import (
	"embed"
	"encoding/json"
	"fmt"

	"github.com/solodestination/api/internal/catalog/kind"
)

// demoFiles holds the category list and the Surakarta demo content.
//
//go:embed demo/*.json
var demoFiles embed.FS

// Category is a category code of one kind with its localised label.
type Category struct {
	Code string `json:"code" example:"heritage_palace"`
	Name Text   `json:"name"`
}

// categories is the fixed list of category codes per kind; a listing's
// category must be one of its kind's codes.
type categories struct {
	list  map[kind.Kind][]Category
	codes map[kind.Kind]map[string]bool
}

// loadCategories reads demo/categories.json: {"attractions": [{code, name}], …}
// keyed by the plural path segment of each kind.
func loadCategories() (*categories, error) {
	b, err := demoFiles.ReadFile("demo/categories.json")
	if err != nil {
		return nil, err
	}
	var raw map[string][]Category
	if err := json.Unmarshal(b, &raw); err != nil {
		return nil, fmt.Errorf("categories.json: %w", err)
	}
	c := &categories{list: map[kind.Kind][]Category{}, codes: map[kind.Kind]map[string]bool{}}
	for _, k := range kind.All {
		list := raw[k.Plural()]
		if len(list) == 0 {
			return nil, fmt.Errorf("categories.json: no categories for %s", k.Plural())
		}
		c.codes[k] = map[string]bool{}
		for _, cat := range list {
			if cat.Code == "" || c.codes[k][cat.Code] {
				return nil, fmt.Errorf("categories.json: empty or repeated code %q in %s", cat.Code, k.Plural())
			}
			c.codes[k][cat.Code] = true
		}
		c.list[k] = list
	}
	return c, nil
}

func (c *categories) known(k kind.Kind, code string) bool { return c.codes[k][code] }
