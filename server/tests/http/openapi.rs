//! The OpenAPI document at `/api/v1.0/openapi.json`, and a checker the API tests use to prove
//! that what the server answers is what the document says.

use serde_json::{Value, json};

use crate::helpers::{TestApp, spawn_app};

/// The served OpenAPI document.
pub struct ApiSpec(Value);

impl ApiSpec {
    pub async fn fetch(app: &TestApp) -> Self {
        let response = app.get("/api/v1.0/openapi.json").await;
        assert_eq!(response.status(), 200);
        Self(response.json().await.expect("JSON document"))
    }

    /// Asserts that `body` (an answer to `method` on `template` with `status`) is documented and
    /// matches its documented schema.
    pub fn check(&self, method: &str, template: &str, status: u16, body: &Value) {
        let operation = &self.0["paths"][template][method];
        assert!(
            operation.is_object(),
            "{method} {template} is not documented"
        );
        let response = &operation["responses"][status.to_string()];
        assert!(
            response.is_object(),
            "{status} is not documented for {method} {template}"
        );
        let schema = &response["content"]["application/json"]["schema"];
        if schema.is_null() {
            assert!(
                body.is_null(),
                "{method} {template} {status} documents no body, got {body}"
            );
            return;
        }
        let root = json!({
            "$schema": "https://json-schema.org/draft/2020-12/schema",
            "components": self.0["components"],
            "$ref": "#/$defs/answer",
            "$defs": { "answer": schema },
        });
        let validator = jsonschema::validator_for(&root).expect("a valid schema");
        let errors: Vec<String> = validator
            .iter_errors(body)
            .map(|error| error.to_string())
            .collect();
        assert!(
            errors.is_empty(),
            "{method} {template} {status}: {errors:?}\nbody: {body}\nschema: {schema}"
        );
    }
}

/// Sends `request`, checks the answer against the document, returns (status, body).
pub async fn call(
    spec: &ApiSpec,
    method: &str,
    template: &str,
    request: reqwest::RequestBuilder,
) -> (u16, Value) {
    let response = request.send().await.expect("request");
    let status = response.status().as_u16();
    let text = response.text().await.expect("body");
    let body = if text.is_empty() {
        Value::Null
    } else {
        serde_json::from_str(&text).expect("a JSON answer")
    };
    spec.check(method, template, status, &body);
    (status, body)
}

#[tokio::test]
async fn the_document_describes_every_api_route() {
    let app = spawn_app().await;
    let spec = ApiSpec::fetch(&app).await;
    assert!(
        spec.0["openapi"]
            .as_str()
            .is_some_and(|version| version.starts_with("3."))
    );
    assert_eq!(spec.0["info"]["title"], "Meet API");
    let mut documented: Vec<String> = spec.0["paths"]
        .as_object()
        .expect("paths")
        .iter()
        .flat_map(|(path, operations)| {
            operations
                .as_object()
                .expect("operations")
                .keys()
                .map(move |method| format!("{method} {path}"))
        })
        .collect();
    documented.sort();
    let mut expected = vec![
        "get /api/v1.0/config/",
        "post /api/v1.0/analytics/events/",
        "get /api/v1.0/rooms/",
        "post /api/v1.0/rooms/",
        "get /api/v1.0/rooms/{id}/",
        "put /api/v1.0/rooms/{id}/",
        "patch /api/v1.0/rooms/{id}/",
        "delete /api/v1.0/rooms/{id}/",
        "post /api/v1.0/rooms/{id}/toggle-hand/",
        "post /api/v1.0/rooms/{id}/rename/",
        "post /api/v1.0/rooms/{id}/request-entry/",
        "get /api/v1.0/rooms/{id}/waiting-participants/",
        "post /api/v1.0/rooms/{id}/enter/",
        "post /api/v1.0/rooms/{id}/mute-participant/",
        "post /api/v1.0/rooms/{id}/remove-participant/",
        "post /api/v1.0/rooms/{id}/update-participant/",
        "post /api/v1.0/rooms/{id}/update-participant-role/",
        "post /api/v1.0/rooms/{id}/start-recording/",
        "post /api/v1.0/rooms/{id}/stop-recording/",
        "post /api/v1.0/rooms/webhooks-livekit/",
        "get /api/v1.0/recordings/",
        "post /api/v1.0/recordings/external-process-hook/",
        "get /api/v1.0/recordings/{id}/",
        "delete /api/v1.0/recordings/{id}/",
        "get /api/v1.0/resource-accesses/",
        "post /api/v1.0/resource-accesses/",
        "get /api/v1.0/resource-accesses/{id}/",
        "put /api/v1.0/resource-accesses/{id}/",
        "patch /api/v1.0/resource-accesses/{id}/",
        "delete /api/v1.0/resource-accesses/{id}/",
        "get /api/v1.0/users/me/",
        "put /api/v1.0/users/{id}/",
        "patch /api/v1.0/users/{id}/",
    ];
    expected.sort();
    assert_eq!(documented, expected);

    // And the server routes each documented operation to the API (which answers JSON), not to
    // the 404 page or a 405.
    for route in &documented {
        let (method, path) = route.split_once(' ').expect("route");
        let path = path.replace("{id}", "00000000-0000-4000-8000-000000000000");
        let method = reqwest::Method::from_bytes(method.to_uppercase().as_bytes()).expect("method");
        let response = app
            .client
            .request(method, app.url(&path))
            .send()
            .await
            .expect("request");
        assert_ne!(response.status(), 405, "{route}");
        let content_type = crate::helpers::header(&response, "content-type");
        assert_eq!(
            content_type, "application/json",
            "{route} is not routed to the API"
        );
    }
}

#[tokio::test]
async fn config_is_documented_and_reports_the_deployment() {
    let app = spawn_app().await;
    let spec = ApiSpec::fetch(&app).await;
    let (status, body) = call(
        &spec,
        "get",
        "/api/v1.0/config/",
        app.client.get(app.url("/api/v1.0/config/")),
    )
    .await;
    assert_eq!(status, 200);
    assert_eq!(body["livekit"]["url"], "ws://127.0.0.1:7880");
    assert_eq!(
        body["livekit"]["default_sources"],
        json!(["camera", "microphone", "screen_share", "screen_share_audio"])
    );
    assert_eq!(body["resource"]["default_access_level"], "public");
    assert_eq!(body["recording"]["is_enabled"], false);
    assert_eq!(body["telephony"]["enabled"], false);
    assert_eq!(
        body["is_silent_login_enabled"], false,
        "no provider configured"
    );
}

#[tokio::test]
async fn the_livekit_token_endpoints_document_their_scheme() {
    let app = spawn_app().await;
    let spec = ApiSpec::fetch(&app).await;
    assert_eq!(
        spec.0["components"]["securitySchemes"]["livekit_token"],
        json!({
            "type": "http",
            "scheme": "bearer",
            "bearerFormat": "JWT",
            "description": "The LiveKit access token of the room (`livekit.token` of the room's \
                            answer), signed by Meet; the participant acted on is the token's \
                            identity.",
        })
    );
    for path in [
        "/api/v1.0/rooms/{id}/toggle-hand/",
        "/api/v1.0/rooms/{id}/rename/",
    ] {
        let operation = &spec.0["paths"][path]["post"];
        assert_eq!(
            operation["security"],
            json!([{"livekit_token": []}]),
            "{path}"
        );
        for status in ["200", "400", "401", "403", "404", "502"] {
            assert!(
                operation["responses"][status].is_object(),
                "{path} {status}"
            );
        }
    }
    // The session endpoints name no scheme of their own.
    assert!(spec.0["paths"]["/api/v1.0/rooms/"]["post"]["security"].is_null());
}
