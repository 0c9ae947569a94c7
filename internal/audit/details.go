package audit

import (
	"reflect"
	"strings"
)

// maxList is how many elements of a list an entry keeps; an import of
// 10,000 rows is recorded as its first rows and its size.
const maxList = 20

// Details turns the arguments of an action into what the log keeps: secrets
// (any key naming a password, secret or token) redacted, long lists cut.
func Details(args map[string]any) map[string]any {
	out, _ := clean(args).(map[string]any)
	return out
}

func clean(v any) any {
	switch v := v.(type) {
	case map[string]any:
		out := make(map[string]any, len(v))
		for k, x := range v {
			if secret(k) {
				out[k] = "[redacted]"
				continue
			}
			out[k] = clean(x)
		}
		return out
	case []any:
		n := min(len(v), maxList)
		out := make([]any, 0, n+1)
		for _, x := range v[:n] {
			out = append(out, clean(x))
		}
		if len(v) > maxList {
			out = append(out, map[string]any{"omitted": len(v) - maxList})
		}
		return out
	}
	return v
}

func secret(key string) bool {
	k := strings.ToLower(key)
	return strings.Contains(k, "password") || strings.Contains(k, "secret") || strings.Contains(k, "token")
}

// TargetOf finds what an action acted on: the ID of the object it returned
// (the member disabled, the enterprise created), else the ID its input names.
func TargetOf(result any, args map[string]any) string {
	if id := resultID(result); id != "" {
		return id
	}
	in, _ := args["input"].(map[string]any)
	if in == nil {
		in = args
	}
	for _, k := range []string{"id", "memberId", "enterpriseId"} {
		if s, ok := in[k].(string); ok && s != "" {
			return s
		}
	}
	for k, v := range in {
		if s, ok := v.(string); ok && s != "" && strings.HasSuffix(k, "Id") {
			return s
		}
	}
	return ""
}

// resultID reads the ID field of a returned entity, or the first ...ID field
// of a payload (deletedId, memberId).
func resultID(result any) string {
	rv := reflect.ValueOf(result)
	for rv.Kind() == reflect.Pointer || rv.Kind() == reflect.Interface {
		if rv.IsNil() {
			return ""
		}
		rv = rv.Elem()
	}
	if rv.Kind() != reflect.Struct {
		return ""
	}
	if f := rv.FieldByName("ID"); f.IsValid() && f.Kind() == reflect.String {
		return f.String()
	}
	for i := 0; i < rv.NumField(); i++ {
		f, sf := rv.Field(i), rv.Type().Field(i)
		if sf.IsExported() && f.Kind() == reflect.String && strings.HasSuffix(sf.Name, "ID") && f.String() != "" {
			return f.String()
		}
	}
	return ""
}
