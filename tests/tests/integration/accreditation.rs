use ipoc::domain::users::Role;
use ipoc_tests::{
    CenterFixture, SmtpServer, TestApp, backends, each_backend, spawn_app_with, uscc,
};
use serde_json::{Value, json};

fn narratives() -> Value {
    json!({"narratives": {"operations": "全年完成专利转让许可 12 项。", "key_tasks": "承担专项行动任务 3 项。", "sme_service": "服务科技型中小企业 40 家。"}, "nothing_to_report": ["chain_support"]})
}

/// A national center of Jiangsu (320505) that meets every criterion in 2025.
async fn passing_center(app: &TestApp, host_n: u64) -> CenterFixture {
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

async fn post(app: &TestApp, path: &str, token: &str, body: Value) -> (u16, Value) {
    let r = app.post_json(path, Some(token), &body).await;
    let status = r.status().as_u16();
    (status, r.json().await.unwrap_or(Value::Null))
}

/// Creates and submits the center's application; returns its id.
async fn submitted(app: &TestApp, center: &CenterFixture) -> i64 {
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

fn full_scores() -> Value {
    json!({"items": {"operation_scale": 28, "projects": 15, "alliance": 14, "sme_service": 12, "chain_support": 17}, "comment": "运营规模突出，联盟覆盖面广。"})
}

/// Three experts assigned by `cnipa`, each declaring no conflict and scoring.
async fn reviewed(app: &TestApp, id: i64, cnipa: &str) -> Vec<String> {
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

each_backend! {
    async fn the_whole_path_from_application_to_cycle_one(app) {
        let center = passing_center(&app, 11).await;
        let (office, _) = app.office("320000").await;
        let (cnipa, _) = app.login_as(Role::Cnipa).await;
        let (draft_status, draft) = post(&app, &format!("/api/v1/centers/{}/applications", center.id), &center.token, json!({"narratives": {"operations": "草稿"}})).await;
        assert_eq!(draft_status, 201);
        let id = draft["id"].as_i64().unwrap();
        // an incomplete application is not submitted; each missing area is named
        let (status, body) = post(&app, &format!("/api/v1/applications/{id}/submit"), &center.token, json!({})).await;
        assert_eq!(status, 422);
        assert!(body["error"]["fields"]["narratives.key_tasks"].is_array(), "{body}");
        let mut saved = narratives();
        saved["version"] = json!(1);
        let r = app.send_json(reqwest::Method::PUT, &format!("/api/v1/applications/{id}"), Some(&center.token), &saved).await;
        assert_eq!(r.status(), 200);
        let r = app.send_json(reqwest::Method::PUT, &format!("/api/v1/applications/{id}"), Some(&center.token), &saved).await;
        assert_eq!(r.status(), 409, "a stale version");
        let (status, body) = post(&app, &format!("/api/v1/applications/{id}/submit"), &center.token, json!({})).await;
        assert_eq!(status, 200, "{body}");
        assert_eq!(body["status"], "submitted");
        assert_eq!(body["snapshot_year"], 2025);
        assert_eq!(body["snapshot"]["operation_amount"], "5000000.00");
        assert_eq!(body["snapshot"]["profile"]["host"]["uscc"], center.host_uscc.as_str(), "the center's profile is frozen too");
        assert_eq!(body["criteria_failed"], false);

        let queue: Value = app.get("/api/v1/applications", Some(&office)).await.json().await.unwrap();
        assert_eq!(queue["items"][0]["id"], id, "the provincial office sees what waits on it");
        let (status, body) = post(&app, &format!("/api/v1/applications/{id}/recommend"), &office, json!({"reason": "材料齐全，同意推荐"})).await;
        assert_eq!((status, body["status"].as_str()), (200, Some("recommended")));

        let experts = reviewed(&app, id, &cnipa).await;
        // an expert changes a score before the decision: 86 → 83, the mean follows
        let mut lower = full_scores();
        lower["items"]["projects"] = json!(12);
        let (stranger, _, _) = app.expert(None).await;
        assert_eq!(post(&app, &format!("/api/v1/applications/{id}/scores"), &stranger, lower.clone()).await.0, 404, "an expert not assigned");
        assert_eq!(post(&app, &format!("/api/v1/applications/{id}/scores"), &experts[0], lower).await.0, 200);
        let (status, body) = post(&app, &format!("/api/v1/applications/{id}/decide"), &cnipa, json!({"outcome": "accredited", "reason": "符合认定条件"})).await;
        assert_eq!(status, 200, "{body}");
        assert_eq!(body["status"], "accredited");
        assert_eq!(body["mean_score"], "85.00");
        assert_eq!(body["decision_rulebook_version"], 1);
        // decided on Saturday 2026-11-21: five working days are Mon 23 … Fri 27
        assert_eq!(body["notice_ends_on"], "2026-11-27");
        let public: Value = app.get("/api/v1/public/centers", None).await.json().await.unwrap();
        let listed = public.as_array().unwrap().iter().find(|c| c["id"] == center.id).expect("listed under notice");
        assert_eq!(listed["status"], "under_notice");
        assert!(listed.get("region_code").is_none() && listed.get("version").is_none(), "no private fields");

        // the day before the notice ends nothing starts; on that day cycle 1 starts, once
        app.another_instance_with(&[("IPOC_NOW", "2026-11-26")]).await;
        let centre: Value = app.get(&format!("/api/v1/centers/{}", center.id), Some(&cnipa)).await.json().await.unwrap();
        assert_eq!(centre["status"], "under_notice");
        // two instances start at once on the day the notice ends: cycle 1 starts once
        tokio::join!(
            app.another_instance_with(&[("IPOC_NOW", "2026-11-27")]),
            app.another_instance_with(&[("IPOC_NOW", "2026-11-27")]),
        );
        app.another_instance_with(&[("IPOC_NOW", "2026-11-28")]).await;
        let centre: Value = app.get(&format!("/api/v1/centers/{}", center.id), Some(&cnipa)).await.json().await.unwrap();
        assert_eq!(centre["status"], "accredited");
        let cycles = {
            use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
            entities::cycles::Entity::find().filter(entities::cycles::Column::CenterId.eq(center.id as i32)).all(&app.db).await.unwrap()
        };
        assert_eq!(cycles.len(), 1, "started once: {cycles:?}");
        assert_eq!((cycles[0].start_date.to_string(), cycles[0].first_year, cycles[0].last_year), ("2026-11-27".to_string(), 2027, 2029));
        assert_eq!(app.audit_count("application.take_effect").await, 1);
        let public: Value = app.get("/api/v1/public/centers", None).await.json().await.unwrap();
        let listed = public.as_array().unwrap().iter().find(|c| c["id"] == center.id).unwrap();
        assert_eq!((listed["status"].as_str(), listed["cycle_first_year"].as_i64()), (Some("accredited"), Some(2027)));
        for action in ["application.create", "application.submit", "application.recommend", "application.assign", "application.decide"] {
            assert_eq!(app.audit_count(action).await, 1, "{action} audited once");
        }
        // every step that waits on someone wrote its mail (sent to files here: no IPOC_SMTP_URL)
        let written = outbox_templates(&app).await;
        for template in ["submitted", "recommended", "expert_assigned", "scores_complete", "decided", "notice_started", "notice_ended"] {
            assert!(written.iter().any(|t| t == template), "{template} mail: {written:?}");
        }
        // without IPOC_SMTP_URL each mail lands as an .eml file under IPOC_DATA_DIR/mail/
        let mail_dir = app.settings.data_dir.join("mail");
        let mut files = 0;
        for _ in 0..100 {
            files = std::fs::read_dir(&mail_dir).map(|d| d.count()).unwrap_or(0);
            if files >= written.len() {
                break;
            }
            tokio::time::sleep(std::time::Duration::from_millis(100)).await;
        }
        assert_eq!(files, written.len(), "one .eml file per mail");
    }
}

each_backend! {
    async fn wrong_role_region_and_state_are_refused(app) {
        let center = passing_center(&app, 12).await;
        let (_, created) = post(&app, &format!("/api/v1/centers/{}/applications", center.id), &center.token, narratives()).await;
        let id = created["id"].as_i64().unwrap();
        let (office, _) = app.office("320000").await;
        // wrong state: a draft is not recommended
        let (status, body) = post(&app, &format!("/api/v1/applications/{id}/recommend"), &office, json!({"reason": "同意"})).await;
        assert_eq!(status, 409);
        assert!(body["error"]["message"].as_str().unwrap().contains("draft"), "{body}");
        assert_eq!(post(&app, &format!("/api/v1/centers/{}/applications", center.id), &center.token, narratives()).await.0, 409, "one application at a time");
        post(&app, &format!("/api/v1/applications/{id}/submit"), &center.token, json!({})).await;
        assert_eq!(post(&app, &format!("/api/v1/applications/{id}/submit"), &center.token, json!({})).await.0, 409, "submitted twice");
        // wrong role and wrong region
        assert_eq!(post(&app, &format!("/api/v1/applications/{id}/recommend"), &center.token, json!({"reason": "x"})).await.0, 403);
        let (city, _) = app.office("320500").await;
        assert_eq!(post(&app, &format!("/api/v1/applications/{id}/recommend"), &city, json!({"reason": "x"})).await.0, 403, "a municipal office");
        let (beijing, _) = app.office("110000").await;
        assert_eq!(post(&app, &format!("/api/v1/applications/{id}/recommend"), &beijing, json!({"reason": "x"})).await.0, 404, "another province");
        assert_eq!(post(&app, &format!("/api/v1/applications/{id}/recommend"), &office, json!({"reason": " "})).await.0, 422, "a reason is required");
        let (cnipa, _) = app.login_as(Role::Cnipa).await;
        assert_eq!(post(&app, &format!("/api/v1/applications/{id}/decide"), &cnipa, json!({"outcome": "accredited", "reason": "x"})).await.0, 409, "not yet under review");
        let (other_center, _) = app.login_as(Role::Center).await;
        assert_eq!(app.get(&format!("/api/v1/applications/{id}"), Some(&other_center)).await.status(), 404);

        // returned: the reason is shown, it is editable and goes to `submitted` again
        let (status, body) = post(&app, &format!("/api/v1/applications/{id}/return"), &office, json!({"reason": "请补充联盟成员名单"})).await;
        assert_eq!((status, body["status"].as_str(), body["return_reason"].as_str()), (200, Some("returned"), Some("请补充联盟成员名单")));
        assert!(outbox_templates(&app).await.iter().any(|t| t == "returned"), "the center is told");
        let (status, body) = post(&app, &format!("/api/v1/applications/{id}/submit"), &center.token, json!({})).await;
        assert_eq!((status, body["status"].as_str()), (200, Some("submitted")));
        post(&app, &format!("/api/v1/applications/{id}/recommend"), &office, json!({"reason": "同意"})).await;

        // conflict of interest, checked automatically with the reason
        let host_id = app.organization_id(&center.host_uscc).await;
        let (host_token, host_expert, _) = app.expert(Some(host_id)).await;
        let (status, body) = post(&app, &format!("/api/v1/applications/{id}/assign"), &cnipa, json!({"expert_ids": [host_expert]})).await;
        assert_eq!(status, 422);
        assert!(body["error"]["fields"]["expert_ids[0]"][0].as_str().unwrap().contains("建设主体"), "{body}");
        let (status, _) = post(&app, &format!("/api/v1/applications/{id}/conflict"), &host_token, json!({"declared_conflict": false})).await;
        assert_eq!(status, 404, "an expert not assigned finds nothing to declare on, whatever the application's state");
        let member_id = app.organization_id(&uscc(1200)).await;
        let (_, member_expert, _) = app.expert(Some(member_id)).await;
        let (status, body) = post(&app, &format!("/api/v1/applications/{id}/assign"), &cnipa, json!({"expert_ids": [member_expert]})).await;
        assert_eq!(status, 422);
        assert!(body["error"]["fields"]["expert_ids[0]"][0].as_str().unwrap().contains("联盟成员"), "{body}");
        let counterparty = app.organization(999_999, "enterprise", &[]).await;
        let (_, counterparty_expert, _) = app.expert(Some(app.organization_id(&counterparty).await)).await;
        let (status, body) = post(&app, &format!("/api/v1/applications/{id}/assign"), &cnipa, json!({"expert_ids": [counterparty_expert]})).await;
        assert_eq!(status, 422);
        assert!(body["error"]["fields"]["expert_ids[0]"][0].as_str().unwrap().contains("交易对方"), "{body}");

        // two experts and one who declares a conflict: no decision until three have scored
        let mut experts = Vec::new();
        for _ in 0..3 {
            experts.push(app.expert(None).await);
        }
        let ids: Vec<i32> = experts.iter().map(|e| e.1).collect();
        assert_eq!(post(&app, &format!("/api/v1/applications/{id}/assign"), &cnipa, json!({"expert_ids": ids})).await.0, 200);
        assert_eq!(app.get(&format!("/api/v1/applications/{id}"), Some(&experts[0].0)).await.status(), 403, "read only after declaring");
        assert_eq!(post(&app, &format!("/api/v1/applications/{id}/scores"), &experts[0].0, full_scores()).await.0, 403, "score only after declaring");
        let (status, body) = post(&app, &format!("/api/v1/applications/{id}/conflict"), &experts[2].0, json!({"declared_conflict": true, "note": "曾为该中心提供咨询"})).await;
        assert_eq!((status, body["active"].as_bool()), (200, Some(false)));
        assert_eq!(app.get(&format!("/api/v1/applications/{id}"), Some(&experts[2].0)).await.status(), 404, "a conflicted expert leaves");
        for expert in &experts[..2] {
            post(&app, &format!("/api/v1/applications/{id}/conflict"), &expert.0, json!({"declared_conflict": false})).await;
        }
        let mut too_high = full_scores();
        too_high["items"]["operation_scale"] = json!(31);
        let (status, body) = post(&app, &format!("/api/v1/applications/{id}/scores"), &experts[0].0, too_high).await;
        assert_eq!(status, 422);
        assert!(body["error"]["fields"]["items.operation_scale"].is_array(), "{body}");
        post(&app, &format!("/api/v1/applications/{id}/scores"), &experts[0].0, full_scores()).await;
        // an expert reads the center under review while assigned; one who left does not
        assert_eq!(app.get(&format!("/api/v1/centers/{}/metrics?year=2025", center.id), Some(&experts[0].0)).await.status(), 200);
        assert_eq!(app.get(&format!("/api/v1/centers/{}/transactions", center.id), Some(&experts[0].0)).await.status(), 200);
        assert_eq!(app.get(&format!("/api/v1/centers/{}/metrics?year=2025", center.id), Some(&experts[2].0)).await.status(), 404);
        // hidden from the other expert until all have scored
        let seen: Value = app.get(&format!("/api/v1/applications/{id}"), Some(&experts[1].0)).await.json().await.unwrap();
        let first = seen["assignments"].as_array().unwrap().iter().find(|a| a["expert_id"] == experts[0].1).unwrap();
        assert!(first["scores"].is_null() && first["total"].is_null() && first["scored"] == true, "{first}");
        post(&app, &format!("/api/v1/applications/{id}/scores"), &experts[1].0, full_scores()).await;
        let (status, body) = post(&app, &format!("/api/v1/applications/{id}/decide"), &cnipa, json!({"outcome": "accredited", "reason": "x"})).await;
        assert_eq!(status, 409, "two of three experts: {body}");
        assert!(body["error"]["message"].as_str().unwrap().contains('3'), "{body}");
        let (fourth_token, fourth, _) = app.expert(None).await;
        post(&app, &format!("/api/v1/applications/{id}/assign"), &cnipa, json!({"expert_ids": [fourth]})).await;
        post(&app, &format!("/api/v1/applications/{id}/conflict"), &fourth_token, json!({"declared_conflict": false})).await;
        post(&app, &format!("/api/v1/applications/{id}/scores"), &fourth_token, full_scores()).await;
        let seen: Value = app.get(&format!("/api/v1/applications/{id}"), Some(&experts[1].0)).await.json().await.unwrap();
        let first = seen["assignments"].as_array().unwrap().iter().find(|a| a["expert_id"] == experts[0].1).unwrap();
        assert_eq!(first["total"], 86, "visible once all have scored");
        let (local, _) = app.office("320000").await;
        assert_eq!(post(&app, &format!("/api/v1/applications/{id}/decide"), &local, json!({"outcome": "accredited", "reason": "x"})).await.0, 403, "a national center is decided by cnipa");
        let (status, _) = post(&app, &format!("/api/v1/applications/{id}/decide"), &cnipa, json!({"outcome": "accredited", "reason": "专家评审通过"})).await;
        assert_eq!(status, 200);
        assert_eq!(post(&app, &format!("/api/v1/applications/{id}/decide"), &cnipa, json!({"outcome": "rejected", "reason": "x"})).await.0, 409, "decided once");
    }
}

each_backend! {
    async fn a_failing_hard_criterion_blocks_accreditation_and_says_which(app) {
        // a provincial center: submitted straight to review by the provincial office
        let center = app.center(13, "provincial", "320505").await;
        app.deal(&center, "license", "4999999.99", "2025-03-01").await;
        let id = submitted(&app, &center).await;
        let (office, _) = app.office("320000").await;
        let seen: Value = app.get(&format!("/api/v1/applications/{id}"), Some(&office)).await.json().await.unwrap();
        assert_eq!((seen["status"].as_str(), seen["criteria_failed"].as_bool()), (Some("under_review"), Some(true)));
        let mut ids = Vec::new();
        let mut tokens = Vec::new();
        for _ in 0..3 {
            let (token, expert, _) = app.expert(None).await;
            ids.push(expert);
            tokens.push(token);
        }
        let (cnipa, _) = app.login_as(Role::Cnipa).await;
        assert_eq!(post(&app, &format!("/api/v1/applications/{id}/assign"), &cnipa, json!({"expert_ids": ids})).await.0, 403, "a local center is reviewed by its office");
        assert_eq!(post(&app, &format!("/api/v1/applications/{id}/assign"), &office, json!({"expert_ids": ids})).await.0, 200);
        for token in &tokens {
            post(&app, &format!("/api/v1/applications/{id}/conflict"), token, json!({"declared_conflict": false})).await;
            post(&app, &format!("/api/v1/applications/{id}/scores"), token, full_scores()).await;
        }
        let (status, body) = post(&app, &format!("/api/v1/applications/{id}/decide"), &office, json!({"outcome": "accredited", "reason": "x"})).await;
        assert_eq!(status, 409);
        let message = body["error"]["message"].as_str().unwrap();
        assert!(message.contains("operation_scale") && message.contains("4,999,999.99 < 5,000,000.00"), "{message}");
        let (status, body) = post(&app, &format!("/api/v1/applications/{id}/decide"), &office, json!({"outcome": "rejected", "reason": "运营规模未达标"})).await;
        assert_eq!((status, body["status"].as_str()), (200, Some("rejected")));
        // a rejected center may apply again
        assert_eq!(post(&app, &format!("/api/v1/centers/{}/applications", center.id), &center.token, narratives()).await.0, 201);
    }
}

each_backend! {
    async fn an_objection_suspends_the_start_until_cnipa_confirms(app) {
        let center = passing_center(&app, 14).await;
        let id = submitted(&app, &center).await;
        let (office, _) = app.office("320000").await;
        post(&app, &format!("/api/v1/applications/{id}/recommend"), &office, json!({"reason": "同意"})).await;
        let (cnipa, _) = app.login_as(Role::Cnipa).await;
        reviewed(&app, id, &cnipa).await;
        post(&app, &format!("/api/v1/applications/{id}/decide"), &cnipa, json!({"outcome": "accredited", "reason": "通过"})).await;
        let (status, body) = post(&app, &format!("/api/v1/applications/{id}/objection"), &cnipa, json!({"reason": "收到实名异议：交易真实性存疑"})).await;
        assert_eq!((status, body["objection_open"].as_bool()), (200, Some(true)));
        app.another_instance_with(&[("IPOC_NOW", "2026-11-30")]).await;
        let centre: Value = app.get(&format!("/api/v1/centers/{}", center.id), Some(&cnipa)).await.json().await.unwrap();
        assert_eq!(centre["status"], "under_notice", "suspended while the objection is open");
        // confirmed after the notice ended: it takes effect on the day of confirmation
        let later = app.another_instance_with(&[("IPOC_NOW", "2026-12-02")]).await;
        let r = app.api.post(format!("{later}/api/v1/applications/{id}/objection/resolve")).bearer_auth(&cnipa).json(&json!({"outcome": "confirm", "reason": "核查属实，异议不成立"})).send().await.unwrap();
        assert_eq!(r.status(), 200);
        let body: Value = r.json().await.unwrap();
        assert_eq!(body["effective_on"], "2026-12-02");
        let centre: Value = app.get(&format!("/api/v1/centers/{}", center.id), Some(&cnipa)).await.json().await.unwrap();
        assert_eq!(centre["status"], "accredited");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn mail_reaches_the_smtp_server_exactly_once_across_an_outage() {
    for backend in backends() {
        let mut smtp = SmtpServer::start().await;
        let url = smtp.url();
        let app = spawn_app_with(
            &backend,
            &[("IPOC_SMTP_URL", &url), ("IPOC_MAIL_RETRY_SECONDS", "1")],
        )
        .await;
        let center = passing_center(&app, 15).await;
        let (_, office_email) = app.office("320000").await;
        smtp.stop();
        let id = submitted(&app, &center).await;
        // the worker tries and fails while the server is down; the submission stands
        tokio::time::sleep(std::time::Duration::from_millis(1500)).await;
        let seen: Value = app
            .get(&format!("/api/v1/applications/{id}"), Some(&center.token))
            .await
            .json()
            .await
            .unwrap();
        assert_eq!(seen["status"], "submitted");
        smtp.restart().await;
        let received = smtp.wait_for(&office_email, 1, 30).await;
        assert_eq!(received.len(), 1, "delivered after the outage");
        tokio::time::sleep(std::time::Duration::from_secs(3)).await;
        let received = smtp.messages_to(&office_email);
        assert_eq!(received.len(), 1, "exactly once");
        let text = SmtpServer::decoded_parts(&received[0]);
        assert!(
            text.contains("提交了认定申请") && text.contains("submitted its application"),
            "Chinese with the English copy below: {text}"
        );
        assert!(
            text.contains(&format!("/applications/{id}")),
            "a link to the application: {text}"
        );
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_mail_sent_again_keeps_the_message_id_made_with_its_row() {
    use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
    for backend in backends() {
        // the server stores the first delivery but its answer is lost: ipoc sends it again
        let smtp = SmtpServer::start_losing_answers(1).await;
        let url = smtp.url();
        let app = spawn_app_with(
            &backend,
            &[("IPOC_SMTP_URL", &url), ("IPOC_MAIL_RETRY_SECONDS", "1")],
        )
        .await;
        let center = passing_center(&app, 16).await;
        let (_, office_email) = app.office("320000").await;
        submitted(&app, &center).await;
        let received = smtp.wait_for(&office_email, 2, 30).await;
        assert_eq!(
            received.len(),
            2,
            "delivered at least once: twice when an answer is lost"
        );
        let ids: Vec<String> = received
            .iter()
            .map(|m| SmtpServer::header(m, "Message-ID").expect("a Message-ID"))
            .collect();
        assert_eq!(ids[0], ids[1], "the same Message-ID on the retry: {ids:?}");
        assert!(
            ids[0].starts_with('<') && ids[0].ends_with("@ipoc.local>"),
            "at the sender's domain: {}",
            ids[0]
        );
        let row = entities::outbox::Entity::find()
            .filter(entities::outbox::Column::Recipient.eq(office_email.as_str()))
            .one(&app.db)
            .await
            .unwrap()
            .unwrap();
        assert_eq!(
            row.message_id.as_deref(),
            Some(ids[0].as_str()),
            "the id stored with the row when the step wrote it"
        );
        assert_eq!((row.status.as_str(), row.attempts), ("sent", 2));
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_instances_never_send_the_same_mail_twice() {
    use sea_orm::ConnectionTrait;
    for backend in backends() {
        let smtp = SmtpServer::start().await;
        let url = smtp.url();
        let app = spawn_app_with(&backend, &[("IPOC_SMTP_URL", &url)]).await;
        app.another_instance().await;
        app.another_instance().await;
        // forty mails written at once, as forty steps would; three workers race for them
        let now = chrono::Utc::now();
        for n in 0..40 {
            let row = entities::outbox::ActiveModel {
                template: sea_orm::Set("submitted".into()),
                recipient: sea_orm::Set(format!("race-{n}@test.ipoc.cn")),
                subject: sea_orm::Set(format!("race {n}")),
                body_text: sea_orm::Set("text".into()),
                body_html: sea_orm::Set("<p>html</p>".into()),
                status: sea_orm::Set("pending".into()),
                attempts: sea_orm::Set(0),
                next_attempt_at: sea_orm::Set(now),
                created_at: sea_orm::Set(now),
                ..Default::default()
            };
            sea_orm::ActiveModelTrait::insert(row, &app.db)
                .await
                .unwrap();
        }
        for _ in 0..300 {
            if smtp.messages().len() >= 40 {
                break;
            }
            tokio::time::sleep(std::time::Duration::from_millis(100)).await;
        }
        tokio::time::sleep(std::time::Duration::from_secs(2)).await;
        let messages = smtp.messages();
        assert_eq!(messages.len(), 40, "each mail once");
        let ids: std::collections::BTreeSet<String> = messages
            .iter()
            .map(|m| {
                SmtpServer::header(m, "Message-ID")
                    .expect("rows written without one get one when claimed")
            })
            .collect();
        assert_eq!(ids.len(), 40, "a Message-ID of its own for each");
        for n in 0..40 {
            assert_eq!(
                smtp.messages_to(&format!("race-{n}@test.ipoc.cn")).len(),
                1,
                "mail {n}"
            );
        }
        let sent = app
            .db
            .query_one_raw(sea_orm::Statement::from_string(
                app.db.get_database_backend(),
                "SELECT COUNT(*) AS n FROM outbox WHERE status = 'sent' AND attempts = 1",
            ))
            .await
            .unwrap()
            .unwrap();
        assert_eq!(
            sent.try_get::<i64>("", "n").unwrap(),
            40,
            "every mail sent at its first attempt"
        );
    }
}

/// The templates of every mail written to the outbox so far.
async fn outbox_templates(app: &TestApp) -> Vec<String> {
    use sea_orm::{EntityTrait, QuerySelect};
    entities::outbox::Entity::find()
        .select_only()
        .column(entities::outbox::Column::Template)
        .into_tuple()
        .all(&app.db)
        .await
        .unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn attachments_are_pdf_or_images_within_the_size_limit() {
    for backend in backends() {
        let app = spawn_app_with(&backend, &[("IPOC_ATTACHMENT_MAX_MB", "1")]).await;
        let center = app.center(16, "national", "320505").await;
        let (_, created) = post(
            &app,
            &format!("/api/v1/centers/{}/applications", center.id),
            &center.token,
            narratives(),
        )
        .await;
        let id = created["id"].as_i64().unwrap();
        let path = format!("/api/v1/applications/{id}/attachments");
        let pdf =
            b"%PDF-1.7\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"
                .to_vec();
        let r = app
            .upload(&path, &center.token, "营业执照.pdf", pdf.clone())
            .await;
        assert_eq!(r.status(), 201);
        let attachment: Value = r.json().await.unwrap();
        assert_eq!(
            (
                attachment["content_type"].as_str(),
                attachment["size_bytes"].as_u64()
            ),
            (Some("application/pdf"), Some(pdf.len() as u64))
        );
        // a text file named .pdf is refused: the type comes from the bytes
        let r = app
            .upload(
                &path,
                &center.token,
                "伪装.pdf",
                b"just text, not a PDF".to_vec(),
            )
            .await;
        assert_eq!(r.status(), 422);
        let body: Value = r.json().await.unwrap();
        assert!(
            body["error"]["fields"]["file"][0]
                .as_str()
                .unwrap()
                .contains("PDF"),
            "{body}"
        );
        let mut large = b"%PDF-1.7\n".to_vec();
        large.resize(1_200_000, b' ');
        let r = app.upload(&path, &center.token, "large.pdf", large).await;
        assert_eq!(r.status(), 413, "above IPOC_ATTACHMENT_MAX_MB");
        let body: Value = r.json().await.unwrap();
        assert_eq!(body["error"]["code"], "too_large");
        assert!(
            body["error"]["message"].as_str().unwrap().contains("1 MiB"),
            "the limit is named: {body}"
        );
        // readers download it; another center does not see it
        let (cnipa, _) = app.login_as(Role::Cnipa).await;
        let file = format!("{path}/{}", attachment["id"]);
        let r = app.get(&file, Some(&cnipa)).await;
        assert_eq!(r.status(), 200);
        assert_eq!(r.headers()["content-type"], "application/pdf");
        assert_eq!(r.bytes().await.unwrap().to_vec(), pdf);
        let (stranger, _) = app.login_as(Role::Center).await;
        assert_eq!(app.get(&file, Some(&stranger)).await.status(), 404);
        let seen: Value = app
            .get(&format!("/api/v1/applications/{id}"), Some(&cnipa))
            .await
            .json()
            .await
            .unwrap();
        assert_eq!(seen["attachments"].as_array().unwrap().len(), 1);
        // a submitted application takes no more files
        app.deal(&center, "transfer", "100.00", "2025-01-01").await;
        assert_eq!(
            post(
                &app,
                &format!("/api/v1/applications/{id}/submit"),
                &center.token,
                json!({})
            )
            .await
            .0,
            200
        );
        assert_eq!(
            app.upload(&path, &center.token, "late.pdf", pdf)
                .await
                .status(),
            409
        );
    }
}

each_backend! {
    async fn two_decisions_sent_at_once_record_exactly_one(app) {
        let center = passing_center(&app, 17).await;
        let (office, _) = app.office("320000").await;
        let (cnipa, _) = app.login_as(Role::Cnipa).await;
        let id = submitted(&app, &center).await;
        post(&app, &format!("/api/v1/applications/{id}/recommend"), &office, json!({"reason": "同意"})).await;
        reviewed(&app, id, &cnipa).await;
        let path = format!("/api/v1/applications/{id}/decide");
        let (first, second) = tokio::join!(
            post(&app, &path, &cnipa, json!({"outcome": "accredited", "reason": "通过"})),
            post(&app, &path, &cnipa, json!({"outcome": "rejected", "reason": "不通过"})),
        );
        let mut statuses = [first.0, second.0];
        statuses.sort();
        assert_eq!(statuses, [200, 409], "exactly one decision wins: {first:?} {second:?}");
        let winner = if first.0 == 200 { first.1 } else { second.1 };
        let seen: Value = app.get(&format!("/api/v1/applications/{id}"), Some(&cnipa)).await.json().await.unwrap();
        assert_eq!(seen["status"], winner["status"], "the record is the winner's, whole");
        assert_eq!(seen["decision_reason"], winner["decision_reason"]);
        assert_eq!(app.audit_count("application.decide").await, 1);
    }
}

each_backend! {
    async fn a_revoked_accreditation_ends_rejected_and_never_starts(app) {
        let center = passing_center(&app, 18).await;
        let (office, _) = app.office("320000").await;
        let (cnipa, _) = app.login_as(Role::Cnipa).await;
        let id = submitted(&app, &center).await;
        post(&app, &format!("/api/v1/applications/{id}/recommend"), &office, json!({"reason": "同意"})).await;
        reviewed(&app, id, &cnipa).await;
        post(&app, &format!("/api/v1/applications/{id}/decide"), &cnipa, json!({"outcome": "accredited", "reason": "通过"})).await;
        assert_eq!(post(&app, &format!("/api/v1/applications/{id}/objection/resolve"), &cnipa, json!({"outcome": "confirm", "reason": "x"})).await.0, 409, "no objection is open");
        assert_eq!(post(&app, &format!("/api/v1/applications/{id}/objection"), &center.token, json!({"reason": "x"})).await.0, 403, "only cnipa records objections");
        post(&app, &format!("/api/v1/applications/{id}/objection"), &cnipa, json!({"reason": "举报材料造假"})).await;
        let (status, body) = post(&app, &format!("/api/v1/applications/{id}/objection/resolve"), &cnipa, json!({"outcome": "revoke", "reason": "核查属实，撤销认定"})).await;
        assert_eq!((status, body["status"].as_str()), (200, Some("rejected")));
        app.another_instance_with(&[("IPOC_NOW", "2026-12-01")]).await;
        let centre: Value = app.get(&format!("/api/v1/centers/{}", center.id), Some(&cnipa)).await.json().await.unwrap();
        assert_eq!(centre["status"], "draft", "the center is back to draft and never starts a cycle");
        let public: Value = app.get("/api/v1/public/centers", None).await.json().await.unwrap();
        assert!(public.as_array().unwrap().iter().all(|c| c["id"] != center.id), "off the public list");
    }
}
