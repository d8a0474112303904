// Equality pushdown for FerretDB v1's SQLite backend (ours, copied into the vendored package
// internal/backends/sqlite at build time by src/infra/ferretdb.ts; not compiled from here).
//
// Upstream pushes down only a filter that is exactly {_id: string|ObjectId} and reads the whole
// table for anything else. The handler re-applies the complete filter in Go to every row the
// backend returns, so a WHERE clause here only has to keep a superset of the matching rows: extra
// rows are harmless, a missing row is a wrong result. That is the rule every branch below follows.

package sqlite

import (
	"strings"

	"github.com/FerretDB/FerretDB/internal/backends/sqlite/metadata"
	"github.com/FerretDB/FerretDB/internal/handler/sjson"
	"github.com/FerretDB/FerretDB/internal/types"
	"github.com/FerretDB/FerretDB/internal/util/must"
)

// maxPushdownArgs keeps a statement well below SQLite's limit on bound parameters (32,766); a
// longer $in is left to the Go filter.
const maxPushdownArgs = 10_000

// prepareWhereClause returns ` WHERE …` (or "") keeping every row that may match filter.
//
// Each top-level condition `f: v`, `f: {$eq: v}` or `f: {$in: [v…]}` with v strings or ObjectIds
// becomes a term; top-level conditions are ANDed in MongoDB, so ANDing any subset of them is safe,
// and every other condition is left to the Go filter.
func prepareWhereClause(filter *types.Document) (string, []any) {
	if filter == nil {
		return "", nil
	}

	keys := filter.Keys()
	values := filter.Values()

	counts := make(map[string]int, len(keys))
	for _, k := range keys {
		counts[k]++
	}

	var terms []string
	var args []any

	for i, k := range keys {
		// a repeated key: which of its values the Go filter applies is not ours to guess
		if counts[k] != 1 || !pushdownField(k) {
			continue
		}

		vs := pushdownValues(values[i])
		if vs == nil || len(args)+len(vs) > maxPushdownArgs {
			continue
		}

		placeholders := make([]string, len(vs))
		for j, v := range vs {
			placeholders[j] = "?"
			// the text SQLite's -> returns for a stored value is the encoding FerretDB stored it with
			args = append(args, string(must.NotFail(sjson.MarshalSingleValue(v))))
		}

		// the expression text must be the index's for SQLite to use the index:
		// metadata.IDColumn for _id, `_ferretdb_sjson->"f"` (registry.go) for the rest
		column := metadata.DefaultColumn + `->'` + k + `'`
		if k == "_id" {
			column = metadata.IDColumn
		}

		var term string
		if len(vs) == 1 {
			term = column + ` = ?`
		} else {
			term = column + ` IN (` + strings.Join(placeholders, ", ") + `)`
		}

		// MongoDB's {f: v} also matches an array holding v; a stored array's text starts with '['
		// (and '\' is the next byte), so this range keeps every array for the Go filter.
		// _id is never an array (FerretDB rejects it on insert, as MongoDB does).
		if k != "_id" {
			term = `(` + term + ` OR (` + column + ` >= '[' AND ` + column + ` < '\'))`
		}

		terms = append(terms, term)
	}

	if len(terms) == 0 {
		return "", nil
	}

	return ` WHERE ` + strings.Join(terms, ` AND `), args
}

// pushdownField reports whether a top-level field name is safe to put into SQL and a JSON label
// as it is: letters, digits, '_' and '-' only (no dots, quotes, '$' or escapes).
func pushdownField(k string) bool {
	if k == "" {
		return false
	}

	for _, r := range k {
		switch {
		case r >= 'a' && r <= 'z', r >= 'A' && r <= 'Z', r >= '0' && r <= '9', r == '_', r == '-':
		default:
			return false
		}
	}

	return true
}

// pushdownValues returns the values one of which the field must equal (or an array of the field
// must hold) for the condition v to match, or nil when v is not a plain equality on strings or
// ObjectIds.
func pushdownValues(v any) []any {
	switch v := v.(type) {
	case string, types.ObjectID:
		return []any{v}

	case *types.Document:
		if v.Len() != 1 {
			return nil
		}

		switch op := v.Keys()[0]; op {
		case "$eq":
			eq := v.Values()[0]
			if !pushdownScalar(eq) {
				return nil
			}

			return []any{eq}

		case "$in":
			in, ok := v.Values()[0].(*types.Array)
			if !ok || in.Len() == 0 {
				return nil
			}

			res := make([]any, 0, in.Len())

			for j := 0; j < in.Len(); j++ {
				e := must.NotFail(in.Get(j))
				if !pushdownScalar(e) {
					return nil
				}

				res = append(res, e)
			}

			return res
		}
	}

	return nil
}

// pushdownScalar reports whether v is exactly a string or an ObjectId.
func pushdownScalar(v any) bool {
	switch v.(type) {
	case string, types.ObjectID:
		return true
	}

	return false
}
