package telemetry

import (
	"errors"

	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/codes"
	"go.opentelemetry.io/otel/trace"
	"gorm.io/gorm"
)

// maxStatementText bounds db.query.text: a bulk insert's statement grows
// with its rows.
const maxStatementText = 2000

const spanKey = "telemetry:span"

// Gorm returns a GORM plugin that makes each statement a client span under
// the request's span; nil when tracing is off. Statements outside a traced
// request (migrations, jobs) are not traced: they would be traces of one span.
func (t *Tracing) Gorm(system string) gorm.Plugin {
	if !t.Enabled() {
		return nil
	}
	return gormPlugin{tracer: t.provider.Tracer(instrumentation), system: system}
}

type gormPlugin struct {
	tracer trace.Tracer
	system string
}

func (gormPlugin) Name() string { return "telemetry" }

func (p gormPlugin) Initialize(db *gorm.DB) error {
	cb := db.Callback()
	steps := []struct {
		verb   string
		before func(string, func(*gorm.DB)) error
		after  func(string, func(*gorm.DB)) error
	}{
		{"INSERT", func(n string, f func(*gorm.DB)) error { return cb.Create().Before("gorm:create").Register(n, f) },
			func(n string, f func(*gorm.DB)) error { return cb.Create().After("gorm:create").Register(n, f) }},
		{"SELECT", func(n string, f func(*gorm.DB)) error { return cb.Query().Before("gorm:query").Register(n, f) },
			func(n string, f func(*gorm.DB)) error { return cb.Query().After("gorm:query").Register(n, f) }},
		{"UPDATE", func(n string, f func(*gorm.DB)) error { return cb.Update().Before("gorm:update").Register(n, f) },
			func(n string, f func(*gorm.DB)) error { return cb.Update().After("gorm:update").Register(n, f) }},
		{"DELETE", func(n string, f func(*gorm.DB)) error { return cb.Delete().Before("gorm:delete").Register(n, f) },
			func(n string, f func(*gorm.DB)) error { return cb.Delete().After("gorm:delete").Register(n, f) }},
		{"ROW", func(n string, f func(*gorm.DB)) error { return cb.Row().Before("gorm:row").Register(n, f) },
			func(n string, f func(*gorm.DB)) error { return cb.Row().After("gorm:row").Register(n, f) }},
		{"RAW", func(n string, f func(*gorm.DB)) error { return cb.Raw().Before("gorm:raw").Register(n, f) },
			func(n string, f func(*gorm.DB)) error { return cb.Raw().After("gorm:raw").Register(n, f) }},
	}
	for _, s := range steps {
		if err := s.before("telemetry:before_"+s.verb, p.start(s.verb)); err != nil {
			return err
		}
		if err := s.after("telemetry:after_"+s.verb, p.end); err != nil {
			return err
		}
	}
	return nil
}

func (p gormPlugin) start(verb string) func(*gorm.DB) {
	return func(db *gorm.DB) {
		ctx := db.Statement.Context
		if ctx == nil || !trace.SpanFromContext(ctx).IsRecording() {
			return
		}
		name := verb
		if verb == "ROW" || verb == "RAW" {
			name = "SQL"
		} else if db.Statement.Table != "" {
			name += " " + db.Statement.Table
		}
		_, span := p.tracer.Start(ctx, name, trace.WithSpanKind(trace.SpanKindClient),
			trace.WithAttributes(attribute.String("db.system.name", p.system)))
		db.InstanceSet(spanKey, span)
	}
}

func (p gormPlugin) end(db *gorm.DB) {
	v, ok := db.InstanceGet(spanKey)
	if !ok {
		return
	}
	span := v.(trace.Span)
	defer span.End()
	// The SQL text holds placeholders ($1, ?); the values are in Vars and
	// never leave the process.
	text := db.Statement.SQL.String()
	if len(text) > maxStatementText {
		text = text[:maxStatementText]
	}
	attrs := []attribute.KeyValue{attribute.String("db.query.text", text),
		attribute.Int64("db.response.affected_rows", db.Statement.RowsAffected)}
	if db.Statement.Table != "" {
		attrs = append(attrs, attribute.String("db.collection.name", db.Statement.Table))
	}
	span.SetAttributes(attrs...)
	// The driver's message may quote values (a duplicate key's detail): the
	// span says only that the statement failed.
	if db.Error != nil && !errors.Is(db.Error, gorm.ErrRecordNotFound) {
		span.SetStatus(codes.Error, "statement failed")
	}
}
