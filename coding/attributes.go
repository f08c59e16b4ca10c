package coding

import (
	"context"
	"database/sql"
	"fmt"
	"strconv"
	"strings"
	"time"
)

func msDuration(ms int64) time.Duration { return time.Duration(ms) * time.Millisecond }

// InferType guesses an attribute's type from its text: integer, float,
// date (YYYY-MM-DD), boolean (true/false), else text.
func InferType(v string) string {
	v = strings.TrimSpace(v)
	if v == "" {
		return TypeText
	}
	if _, err := strconv.ParseInt(v, 10, 64); err == nil {
		return TypeInteger
	}
	if _, err := strconv.ParseFloat(v, 64); err == nil && strings.ContainsAny(v, ".eE") && !strings.ContainsAny(v, "xXnN") {
		return TypeFloat
	}
	if _, err := time.Parse("2006-01-02", v); err == nil {
		return TypeDate
	}
	if v == "true" || v == "false" {
		return TypeBoolean
	}
	return TypeText
}

// CheckType reports whether v is a valid value of type typ, and returns
// its canonical text.
func CheckType(typ, v string) (string, error) {
	v = strings.TrimSpace(v)
	bad := func() (string, error) {
		return "", fmt.Errorf("%w: %q is not a valid %s", ErrInvalid, v, typ)
	}
	switch typ {
	case TypeText:
		return v, nil
	case TypeInteger:
		n, err := strconv.ParseInt(v, 10, 64)
		if err != nil {
			return bad()
		}
		return strconv.FormatInt(n, 10), nil
	case TypeFloat:
		f, err := strconv.ParseFloat(v, 64)
		if err != nil {
			return bad()
		}
		return strconv.FormatFloat(f, 'g', -1, 64), nil
	case TypeDate:
		t, err := time.Parse("2006-01-02", v)
		if err != nil {
			return bad()
		}
		return t.Format("2006-01-02"), nil
	case TypeBoolean:
		switch strings.ToLower(v) {
		case "true", "yes", "y", "1":
			return "true", nil
		case "false", "no", "n", "0":
			return "false", nil
		}
		return bad()
	}
	return "", fmt.Errorf("%w: unknown attribute type %q (text, integer, float, date, boolean)", ErrInvalid, typ)
}

// ParseAttribute reads KEY=VALUE or KEY:TYPE=VALUE. Without a type the
// type is inferred from the value.
func ParseAttribute(s string) (Attribute, error) {
	k, v, ok := strings.Cut(s, "=")
	k = strings.TrimSpace(k)
	if !ok || k == "" {
		return Attribute{}, fmt.Errorf("%w: attribute %q: want KEY=VALUE or KEY:TYPE=VALUE", ErrInvalid, s)
	}
	typ := ""
	if i := strings.LastIndex(k, ":"); i > 0 {
		typ = strings.TrimSpace(k[i+1:])
		k = strings.TrimSpace(k[:i])
	}
	if typ == "" {
		typ = InferType(v)
	}
	if err := checkAttribute(k, v); err != nil {
		return Attribute{}, err
	}
	cv, err := CheckType(typ, v)
	if err != nil {
		return Attribute{}, fmt.Errorf("attribute %s: %w", k, err)
	}
	return Attribute{Key: k, Type: typ, Value: cv}, nil
}

// checkAttribute refuses an attribute key or value that holds a hidden
// control character or is too long (MaxAttrKey, MaxAttrValue).
func checkAttribute(key, value string) error {
	if err := checkText("attribute key", key, MaxAttrKey); err != nil {
		return err
	}
	if err := checkText("attribute "+quoteSafe(key)+" value", value, MaxAttrValue); err != nil {
		return err
	}
	return nil
}

// mergeAttributes returns base with each of over replacing the entry of
// the same key or appended.
func mergeAttributes(base, over []Attribute) []Attribute {
	out := append([]Attribute(nil), base...)
	for _, a := range over {
		replaced := false
		for i := range out {
			if out[i].Key == a.Key {
				out[i] = a
				replaced = true
				break
			}
		}
		if !replaced {
			out = append(out, a)
		}
	}
	return out
}

func attributesOf(ctx context.Context, q querier, docID int64) ([]Attribute, error) {
	rows, err := q.QueryContext(ctx, "SELECT key, type, value FROM attributes WHERE doc_id = ? ORDER BY position, key", docID)
	if err != nil {
		return nil, mapErr(err)
	}
	defer rows.Close()
	attrs := []Attribute{}
	for rows.Next() {
		var a Attribute
		if err := rows.Scan(&a.Key, &a.Type, &a.Value); err != nil {
			return nil, mapErr(err)
		}
		attrs = append(attrs, a)
	}
	return attrs, mapErr(rows.Err())
}

func allAttributes(ctx context.Context, q querier) (map[int64][]Attribute, error) {
	rows, err := q.QueryContext(ctx, "SELECT doc_id, key, type, value FROM attributes ORDER BY doc_id, position, key")
	if err != nil {
		return nil, mapErr(err)
	}
	defer rows.Close()
	m := map[int64][]Attribute{}
	for rows.Next() {
		var id int64
		var a Attribute
		if err := rows.Scan(&id, &a.Key, &a.Type, &a.Value); err != nil {
			return nil, mapErr(err)
		}
		m[id] = append(m[id], a)
	}
	return m, mapErr(rows.Err())
}

// SetAttributes sets attributes of a document as one undoable action. An
// empty value removes the attribute.
func (s *Store) SetAttributes(ctx context.Context, docRef string, attrs []Attribute) (Op, error) {
	if len(attrs) == 0 {
		return Op{}, fmt.Errorf("%w: no attributes given", ErrInvalid)
	}
	var keys []string
	for _, a := range attrs {
		if err := checkAttribute(a.Key, a.Value); err != nil {
			return Op{}, err
		}
		keys = append(keys, a.Key+"="+a.Value)
	}
	return s.action(ctx, "", func(tx *sql.Tx, label *string) error {
		id, err := resolveDoc(ctx, tx, docRef)
		if err != nil {
			return err
		}
		var name string
		if err := tx.QueryRowContext(ctx, "SELECT name FROM documents WHERE id = ?", id).Scan(&name); err != nil {
			return err
		}
		*label = fmt.Sprintf("set %s on %s", strings.Join(keys, ", "), name)
		for _, a := range attrs {
			if a.Value == "" {
				if _, err := tx.ExecContext(ctx, "DELETE FROM attributes WHERE doc_id = ? AND key = ?", id, a.Key); err != nil {
					return err
				}
				continue
			}
			if a.Type == "" {
				a.Type = InferType(a.Value)
			}
			if _, err := tx.ExecContext(ctx, `INSERT INTO attributes (doc_id, key, type, value, position)
				VALUES (?1, ?2, ?3, ?4, (SELECT coalesce(max(position), -1) + 1 FROM attributes WHERE doc_id = ?1))
				ON CONFLICT (doc_id, key) DO UPDATE SET type = excluded.type, value = excluded.value`,
				id, a.Key, a.Type, a.Value); err != nil {
				return err
			}
		}
		return nil
	})
}
