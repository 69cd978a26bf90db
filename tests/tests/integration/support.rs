//! Request bodies and review steps several test files share.

use ipoc_tests::{CenterFixture, TestApp, uscc};
use serde_json::{Value, json};

/// A complete annual report body, at `version` when given.
pub fn complete(version: Option<i64>) -> Value {
    let mut body = json!({"narratives": {"operations": "全年转让许可 8 项", "key_tasks": "完成专项任务 2 项", "sme_service": "服务科技型中小企业 31 家"}, "nothing_to_report": ["chain_support"]});
    if let Some(v) = version {
        body["version"] = json!(v);
    }
    body
}
/// `method path` on the instance at `address`.
pub async fn call(
    app: &TestApp,
    address: &str,
    method: reqwest::Method,
    path: &str,
    token: &str,
    body: Option<Value>,
) -> (u16, Value) {
    let mut request = app
        .api
        .request(method, format!("{address}{path}"))
        .bearer_auth(token);
    if let Some(body) = body {
        request = request.json(&body);
    }
    let r = request.send().await.unwrap();
    let status = r.status().as_u16();
    (status, r.json().await.unwrap_or(Value::Null))
}
/// A short annual report body.
pub fn report_body() -> Value {
    json!({"narratives": {"operations": "年度许可 3 项", "key_tasks": "完成重点任务", "sme_service": "服务 12 家"}, "nothing_to_report": ["chain_support"]})
}
/// Assigns `experts` to the report at `path` (as `cnipa`) on the instance at `address`, and has
/// each declare no conflict of interest.
pub async fn assign_and_declare(
    app: &TestApp,
    address: &str,
    path: &str,
    cnipa: &str,
    experts: &[(String, i32, String)],
) {
    let ids: Vec<i32> = experts.iter().map(|e| e.1).collect();
    let assign = call(
        app,
        address,
        reqwest::Method::POST,
        &format!("{path}/assign"),
        cnipa,
        Some(json!({"expert_ids": ids})),
    )
    .await;
    assert_eq!(assign.0, 200, "{}", assign.1);
    for (token, _, _) in experts {
        let declared = call(
            app,
            address,
            reqwest::Method::POST,
            &format!("{path}/conflict"),
            token,
            Some(json!({"declared_conflict": false})),
        )
        .await;
        assert_eq!(declared.0, 200, "{}", declared.1);
    }
}
/// An application's narratives.
pub fn narratives() -> Value {
    json!({"narratives": {"operations": "全年完成专利转让许可 12 项。", "key_tasks": "承担专项行动任务 3 项。", "sme_service": "服务科技型中小企业 40 家。"}, "nothing_to_report": ["chain_support"]})
}
/// A national center of Jiangsu (320505) that meets every criterion in 2025.
pub async fn passing_center(app: &TestApp, host_n: u64) -> CenterFixture {
    let center = app.center(host_n, "national", "320505").await;
    app.deal(&center, "transfer", "5000000.00", "2025-06-01")
        .await;
    for n in 0..20u64 {
        let body = json!({"organization": {"uscc": uscc(host_n * 100 + n), "name": format!("成员{n}"), "kind": "enterprise", "region_code": "320505"}, "joined_on": "2024-01-01"});
        let r = app
            .post_json(
                &format!("/api/v1/centers/{}/members", center.id),
                Some(&center.token),
                &body,
            )
            .await;
        assert_eq!(r.status(), 201);
    }
    center
}
/// POST `body` to `path`: the status and the JSON answer.
pub async fn post(app: &TestApp, path: &str, token: &str, body: Value) -> (u16, Value) {
    let r = app.post_json(path, Some(token), &body).await;
    let status = r.status().as_u16();
    (status, r.json().await.unwrap_or(Value::Null))
}
/// Creates and submits the center's application; returns its id.
pub async fn submitted(app: &TestApp, center: &CenterFixture) -> i64 {
    let (status, created) = post(
        app,
        &format!("/api/v1/centers/{}/applications", center.id),
        &center.token,
        narratives(),
    )
    .await;
    assert_eq!(status, 201, "{created}");
    let id = created["id"].as_i64().unwrap();
    let (status, body) = post(
        app,
        &format!("/api/v1/applications/{id}/submit"),
        &center.token,
        json!({}),
    )
    .await;
    assert_eq!(status, 200, "{body}");
    id
}
/// Scores in every rubric item.
pub fn full_scores() -> Value {
    json!({"items": {"operation_scale": 28, "projects": 15, "alliance": 14, "sme_service": 12, "chain_support": 17}, "comment": "运营规模突出，联盟覆盖面广。"})
}
/// Three experts assigned by `cnipa`, each declaring no conflict and scoring.
pub async fn reviewed(app: &TestApp, id: i64, cnipa: &str) -> Vec<String> {
    let mut tokens = Vec::new();
    let mut ids = Vec::new();
    for _ in 0..3 {
        let (token, expert_id, _) = app.expert(None).await;
        tokens.push(token);
        ids.push(expert_id);
    }
    let (status, body) = post(
        app,
        &format!("/api/v1/applications/{id}/assign"),
        cnipa,
        json!({"expert_ids": ids}),
    )
    .await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["status"], "under_review");
    for token in &tokens {
        let (status, body) = post(
            app,
            &format!("/api/v1/applications/{id}/conflict"),
            token,
            json!({"declared_conflict": false}),
        )
        .await;
        assert_eq!(
            (status, body["conflict_status"].as_str()),
            (200, Some("declared_none"))
        );
        let (status, body) = post(
            app,
            &format!("/api/v1/applications/{id}/scores"),
            token,
            full_scores(),
        )
        .await;
        assert_eq!(status, 200, "{body}");
    }
    tokens
}

/// The templates of every mail written to the outbox so far.
pub async fn outbox_templates(app: &TestApp) -> Vec<String> {
    use sea_orm::{EntityTrait, QuerySelect};
    entities::outbox::Entity::find()
        .select_only()
        .column(entities::outbox::Column::Template)
        .into_tuple()
        .all(&app.db)
        .await
        .unwrap()
}
