package identity

import (
	"context"
	"fmt"

	"github.com/google/uuid"
	"gorm.io/gorm"

	"github.com/solodestination/api/internal/audit"
	"github.com/solodestination/api/internal/platform/apperr"
	"github.com/solodestination/api/internal/platform/database"
	"github.com/solodestination/api/internal/platform/web"
)

// ListUsers pages through accounts for administrators, newest first.
func (s *Service) ListUsers(ctx context.Context, f userFilter) (users []user, total int64, more bool, err error) {
	users, total, err = s.store().listUsers(ctx, f)
	if err != nil {
		return nil, 0, false, err
	}
	if len(users) > f.Limit {
		return users[:f.Limit], total, true, nil
	}
	return users, total, false, nil
}

// UpdateAccess changes a user's role, department or disabled flag. Disabling
// revokes the user's refresh tokens at once; the change is audited in the
// same transaction.
func (s *Service) UpdateAccess(ctx context.Context, who Actor, id uuid.UUID, in AccessChange) (user, error) {
	var out user
	err := s.db.InTx(ctx, func(tx *gorm.DB) error {
		st := store{db: tx}
		u, err := st.userByIDForUpdate(ctx, id)
		if err != nil {
			return err
		}
		if u.ID == who.ID && ((in.Role != nil && *in.Role != u.Role) || (in.Disabled != nil && *in.Disabled)) {
			return apperr.StateConflict("conflict", "You cannot change your own role or disable your own account.")
		}
		if in.Role != nil {
			u.Role = *in.Role
			if u.Role != RoleStaff {
				u.Department = ""
			}
		}
		if in.Department != nil {
			u.Department = *in.Department
		}
		if u.Role == RoleStaff && u.Department == "" {
			return apperr.FieldInvalid("department", "is required for staff")
		}
		if u.Role != RoleStaff && in.Department != nil {
			return apperr.FieldInvalid("department", "only staff have a department")
		}
		wasDisabled := u.Disabled
		if in.Disabled != nil {
			u.Disabled = *in.Disabled
		}
		u.UpdatedAt = s.now()
		if err := st.updateAccess(ctx, u); err != nil {
			return err
		}
		if u.Disabled && !wasDisabled {
			if err := st.revokeAllOfUser(ctx, u.ID, u.UpdatedAt); err != nil {
				return err
			}
		}
		out = u
		// After the commit: a check that read the old row before it must
		// not be kept (see actorCache.gen).
		database.AfterCommit(tx, s.actors.empty)
		return audit.Record(ctx, tx, "user.update_access", "user", u.ID.String(), map[string]any{
			"role": u.Role, "department": u.Department, "disabled": u.Disabled,
		})
	})
	if err != nil {
		return user{}, fmt.Errorf("update user %s: %w", id, err)
	}
	return out, nil
}

// EnsureAdmin creates the first administrator from ADMIN_EMAIL/ADMIN_PASSWORD
// when no administrator exists yet; otherwise it does nothing.
func (s *Service) EnsureAdmin(ctx context.Context, email, password string) (bool, error) {
	if email == "" {
		return false, nil
	}
	exists, err := s.store().adminExists(ctx)
	if err != nil || exists {
		return false, err
	}
	in := registerRequest{Email: email, Password: password, Name: "Administrator"}
	if err := web.Validate(&in); err != nil {
		return false, fmt.Errorf("ADMIN_EMAIL/ADMIN_PASSWORD: %w", err)
	}
	_, err = s.createAccount(ctx, s.store(), in.registration(), RoleAdmin, "")
	return err == nil, err
}

func (s *Service) createAccount(ctx context.Context, st store, in Registration, role Role, dept Department) (user, error) {
	hash, err := s.hash.hash(ctx, in.Password)
	if err != nil {
		return user{}, err
	}
	now := s.now()
	u := user{ID: uuid.Must(uuid.NewV7()), Email: in.Email, PasswordHash: hash, Name: in.Name, Phone: in.Phone,
		PreferredLang: LangID, Role: role, Department: dept, CreatedAt: now, UpdatedAt: now}
	return u, st.insertUser(ctx, u)
}
