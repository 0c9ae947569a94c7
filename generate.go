// Package corpline is the root of the corpline server: one `go generate ./...`
// regenerates the ent client (with the entgql schema) and then gqlgen's code.
package corpline

//go:generate go run -mod=mod ./ent/entc.go
//go:generate go tool gqlgen
