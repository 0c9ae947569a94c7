package apitest

// App fixtures, made through the API as an admin and an integrator would.

// Range describes an audience for AudienceInput.
type Range struct {
	Everyone    bool
	Departments []string
	Tags        []string
	Members     []string
}

// Input is the AudienceInput of r.
func (r Range) Input() map[string]any {
	return map[string]any{"everyone": r.Everyone, "departmentIds": r.Departments, "tagIds": r.Tags, "memberIds": r.Members}
}

// CreateApp creates an app with a visible range and returns its ID and secret.
func (c *Client) CreateApp(name string, r Range) (id, secret string) {
	c.env.T.Helper()
	var out struct {
		CreateApp struct {
			App    struct{ ID string }
			Secret string
		}
	}
	c.MustDo(`mutation($in: CreateAppInput!) { createApp(input: $in) { app { id } secret } }`,
		map[string]any{"in": map[string]any{"name": name, "visibleRange": r.Input()}}, &out)
	return out.CreateApp.App.ID, out.CreateApp.Secret
}

// AppToken fetches an access token for an app; it fails the test on error.
func (e *Env) AppToken(code, appID, secret string) string {
	e.T.Helper()
	var out struct{ AppToken struct{ AccessToken string } }
	e.Anonymous().MustDo(`mutation($in: AppTokenInput!) { appToken(input: $in) { accessToken } }`,
		map[string]any{"in": map[string]any{"enterprise": code, "appId": appID, "secret": secret}}, &out)
	return out.AppToken.AccessToken
}

// AsApp returns a client acting as an app, with a fresh access token.
func (e *Env) AsApp(code, appID, secret string) *Client {
	e.T.Helper()
	c := e.Anonymous()
	c.Token = e.AppToken(code, appID, secret)
	return c
}

// CreateTag creates a tag with members and returns its ID.
func (c *Client) CreateTag(name string, memberIDs ...string) string {
	c.env.T.Helper()
	var out struct{ CreateTag struct{ ID string } }
	c.MustDo(`mutation($in: CreateTagInput!) { createTag(input: $in) { id } }`,
		map[string]any{"in": map[string]any{"name": name, "memberIds": memberIDs}}, &out)
	return out.CreateTag.ID
}
