//! Accreditation through the API: the whole path, refusals, hard criteria, objections, decisions.

use ipoc::domain::users::Role;
use ipoc_tests::{each_backend, uscc};
use serde_json::{Value, json};

use crate::support::*;

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
        assert!(body["error"]["message"].as_str().unwrap().contains("草稿"), "the state in words: {body}");
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

each_backend! {
    async fn an_expert_sees_the_summary_until_it_declares_and_never_what_it_is_not_assigned_to(app) {
        let center = passing_center(&app, 51).await;
        let (office, _) = app.office("320000").await;
        let (cnipa, _) = app.login_as(Role::Cnipa).await;
        let id = submitted(&app, &center).await;
        let (status, _) = post(&app, &format!("/api/v1/applications/{id}/recommend"), &office, json!({"reason": "同意推荐"})).await;
        assert_eq!(status, 200);
        let (expert, expert_id, _) = app.expert(None).await;
        let (status, body) = post(&app, &format!("/api/v1/applications/{id}/assign"), &cnipa, json!({"expert_ids": [expert_id]})).await;
        assert_eq!(status, 200, "{body}");
        let item = |list: Value| list["items"].as_array().unwrap().iter().find(|a| a["id"] == id).cloned();

        // assigned, not yet declared: the queue and the center's list show the summary only
        let queue: Value = app.get("/api/v1/applications", Some(&expert)).await.json().await.unwrap();
        let seen = item(queue).expect("what waits on the expert");
        assert_eq!(seen["summary_only"], true);
        assert!(seen["center_name"].as_str().is_some_and(|n| !n.is_empty()), "the center is named");
        assert_eq!((seen["narratives"].as_object().map(|n| n.len()), seen["snapshot"].is_null()), (Some(0), true), "{seen}");
        assert_eq!(seen["attachments"].as_array().map(Vec::len), Some(0));
        assert!(seen["assignments"].as_array().unwrap().iter().all(|a| a["expert_id"] == expert_id), "no other expert");
        let center_list = format!("/api/v1/centers/{}/applications", center.id);
        assert_eq!(app.get(&center_list, Some(&expert)).await.status(), 404, "the center is not the undeclared expert's to read");
        assert_eq!(app.get(&format!("/api/v1/applications/{id}"), Some(&expert)).await.status(), 403);

        // declared: the whole application, in the list as in its own route
        let (status, _) = post(&app, &format!("/api/v1/applications/{id}/conflict"), &expert, json!({"declared_conflict": false})).await;
        assert_eq!(status, 200);
        let queue: Value = app.get("/api/v1/applications", Some(&expert)).await.json().await.unwrap();
        let seen = item(queue).expect("still waiting on the expert's scores");
        assert_eq!(seen["summary_only"], false);
        assert!(!seen["snapshot"].is_null() && seen["narratives"]["operations"].is_string());

        // while the review is open the center's list holds the one application it reviews
        let listed: Value = app.get(&center_list, Some(&expert)).await.json().await.unwrap();
        let listed = listed.as_array().or(listed["items"].as_array()).cloned().unwrap_or_default();
        let ids: Vec<&Value> = listed.iter().map(|a| &a["id"]).collect();
        assert_eq!(ids, [&json!(id)], "only the application it reviews");

        // once decided the expert reads nothing of the center, nor a later application
        let (status, body) = post(&app, &format!("/api/v1/applications/{id}/decide"), &cnipa, json!({"outcome": "rejected", "reason": "材料不足"})).await;
        assert_eq!(status, 200, "{body}");
        let (status, later) = post(&app, &format!("/api/v1/centers/{}/applications", center.id), &center.token, json!({"narratives": {"operations": "另一份草稿"}})).await;
        assert_eq!(status, 201, "{later}");
        assert_eq!(app.get(&center_list, Some(&expert)).await.status(), 404, "the review is over");
        assert_eq!(app.get(&format!("/api/v1/applications/{id}"), Some(&expert)).await.status(), 404, "the review is over");
        assert_eq!(app.get(&format!("/api/v1/applications/{}", later["id"]), Some(&expert)).await.status(), 404);
    }
}
