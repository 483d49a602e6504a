package transport

import (
	"context"
	"fmt"

	"github.com/google/uuid"
	"gorm.io/gorm"

	"github.com/solodestination/api/internal/catalog/plan"
)

// PlanRides tells itineraries about the trips among ids that exist, with
// their route's name and their status now (plan.Trips), in two queries.
func (s *Service) PlanRides(ctx context.Context, db *gorm.DB, ids []uuid.UUID) (map[uuid.UUID]plan.Ride, error) {
	trips, err := tripsByID(ctx, db, ids)
	if err != nil {
		return nil, err
	}
	routeIDs := make([]uuid.UUID, 0, len(trips))
	for _, t := range trips {
		routeIDs = append(routeIDs, t.RouteID)
	}
	var routes []routeRow
	if len(routeIDs) > 0 {
		if err := db.WithContext(ctx).Select("id, name_id, name_en").Where("id IN ?", routeIDs).Find(&routes).Error; err != nil {
			return nil, fmt.Errorf("load route names: %w", err)
		}
	}
	names := make(map[uuid.UUID]Text, len(routes))
	for _, r := range routes {
		names[r.ID] = Text{r.NameID, r.NameEn}
	}
	now := s.now()
	out := make(map[uuid.UUID]plan.Ride, len(trips))
	for id, t := range trips {
		n := names[t.RouteID]
		out[id] = plan.Ride{DepartsAt: t.DepartsAt, ArrivesAt: t.ArrivesAt, Mode: t.Mode,
			RouteNameID: n.ID, RouteNameEN: n.EN, Status: string(t.StatusAt(now))}
	}
	return out, nil
}
