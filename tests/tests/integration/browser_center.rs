//! A center's staff in Chromium, on each backend: a deal refused for a contract number already
//! used, shown at the field; a deal, a project and a service event corrected and deleted (entered
//! by mistake) from their own pages, each write confirmed; withdrawal offered only to an accredited
//! center; and an accredited center's staff drafting, submitting (asked first) and asking to
//! withdraw.

use ipoc_tests::{
    Backend, TestApp,
    browser::{self, Browser},
};

const PASSWORD: &str = ipoc::seed::demo::DEMO_PASSWORD;

async fn demo_site(backend: &Backend, role: &str, now: &str) -> (TestApp, Browser) {
    let folder = match backend {
        Backend::Sqlite => format!("{role}-sqlite"),
        Backend::Postgres(_) => format!("{role}-postgresql"),
    };
    let root = env!("CARGO_TARGET_TMPDIR");
    browser::demo_site(root, &folder, backend, &[("IPOC_NOW", now)]).await
}

/// Records a deal from the center's home with the contract number `number`.
async fn record_deal(b: &mut Browser, amount: &str, number: &str, step: &str) {
    b.unfold("登记运营交易").await;
    b.choose("/transactions", "kind", "transfer").await;
    b.fill_form("/transactions", "amount", amount).await;
    b.pick_date("/transactions", "contract_date", "2026-10-08")
        .await;
    b.fill_form("/transactions", "counterparty_uscc", &ipoc_tests::uscc(5))
        .await;
    b.fill_form("/transactions", "contract_no", number).await;
    b.submit("/transactions", "保存", step).await;
}

/// Deals: one contract number once; a deal corrected, then deleted, from its own page.
async fn deals(b: &mut Browser) {
    record_deal(b, "250,000", "JS-2026-018", "deal-recorded").await;
    assert!(b.text().await.contains("交易已记录，进度已更新。"));
    b.expect_status(422);
    record_deal(b, "90000", "js-2026-018", "same-contract-refused").await;
    assert!(
        b.error_in_view().await,
        "the refusal is where the person looks"
    );
    assert!(
        b.text_of(".field-error")
            .await
            .contains("同一合同不能登记两次")
    );
    b.follow("全部交易（修改、删除）", "all-deals").await;
    b.follow_in_row("250,000.00", "修改", "deal-page").await;
    b.fill_form("", "amount", "260,000").await;
    b.submit("", "保存修改", "deal-corrected").await;
    assert!(b.text().await.contains("修改已保存。"));
    assert!(
        b.text_of("#records").await.contains("260,000.00"),
        "the list shows the correction"
    );
    b.follow_in_row("260,000.00", "修改", "deal-page-again")
        .await;
    b.will_answer(true);
    b.submit("/delete", "删除", "deal-deleted").await;
    assert!(b.asked().contains("不再计入"), "asked first: {}", b.asked());
    assert!(b.text().await.contains("记录已删除，不再计入指标。"));
    assert!(
        !b.text_of("#records").await.contains("260,000.00"),
        "gone from the list"
    );
}

/// A project and a service event: added on the home, found in their lists, corrected, deleted.
async fn projects_and_events(b: &mut Browser) {
    b.follow("本中心", "center-page").await;
    b.choose("/projects", "kind", "conversion").await;
    b.fill_form("/projects", "name", "高分子膜材料中试项目")
        .await;
    b.pick_date("/projects", "start_date", "2026-09-01").await;
    b.choose("/projects", "status", "planned").await;
    b.submit("/projects", "保存", "project-recorded").await;
    assert!(b.text().await.contains("项目已记录。"));
    b.follow("项目列表", "projects").await;
    assert!(
        b.text_of("#records").await.contains("计划中"),
        "states in words"
    );
    b.follow_in_row("高分子膜材料中试项目", "修改", "project-page")
        .await;
    b.choose("", "status", "running").await;
    b.submit("", "保存修改", "project-corrected").await;
    assert!(b.text_of("#records").await.contains("实施中"));
    b.follow_in_row("高分子膜材料中试项目", "修改", "project-page-again")
        .await;
    b.will_answer(true);
    b.submit("/delete", "删除", "project-deleted").await;
    assert!(b.text().await.contains("记录已删除，不再计入指标。"));

    b.follow("本中心", "center-page-again").await;
    b.choose("/events", "kind", "training").await;
    b.pick_date("/events", "date", "2026-10-20").await;
    b.fill_form("/events", "title", "专利运营实务培训").await;
    // a member of the alliance (苏州纳米新材料有限公司)
    let member = ipoc::domain::identifiers::with_check_character("91320594100000003").unwrap();
    b.fill_form("/events", "served_uscc", &member.to_string())
        .await;
    b.submit("/events", "保存", "event-recorded").await;
    assert!(b.text().await.contains("服务活动已记录。"));
    b.follow("服务活动列表", "events").await;
    b.follow_in_row("专利运营实务培训", "修改", "event-page")
        .await;
    b.fill_form("", "title", "专利运营实务培训（第二期）").await;
    b.submit("", "保存修改", "event-corrected").await;
    assert!(b.text_of("#records").await.contains("第二期"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn center_staff_correct_and_delete_records_from_their_pages() {
    for backend in ipoc_tests::backends() {
        let (_app, mut b) = demo_site(&backend, "center-records", ipoc_tests::TODAY).await;
        b.log_in("center@demo.ipoc.cn", PASSWORD).await;
        b.follow("本中心", "center-page").await;
        deals(&mut b).await;
        projects_and_events(&mut b).await;
        // a center not yet accredited is not offered a withdrawal
        b.follow("本中心", "center-page-last").await;
        b.follow("年度报告与考核", "reviews").await;
        let withdrawal = b.text_of("#withdrawal").await;
        assert_eq!(
            b.text_of("#withdrawal details").await,
            "",
            "no request form: {withdrawal}"
        );
        assert!(withdrawal.contains("获得认定后方可申请"), "{withdrawal}");
        b.close().await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn accredited_center_staff_file_the_annual_report_and_may_ask_to_withdraw() {
    // early in the year after: last year's report is due at the end of March
    let (_app, mut b) = demo_site(
        &Backend::Sqlite,
        "accredited-center",
        "2027-01-20T10:00:00+08:00",
    )
    .await;
    b.log_in("nanjing@demo.ipoc.cn", PASSWORD).await;
    b.follow("本中心", "center-page").await;
    b.follow("年度报告与考核", "reviews").await;
    b.follow("2026", "report-2026").await;
    let areas = [
        ("narrative_operations", "全年完成专利许可 12 项。"),
        ("narrative_key_tasks", "完成生物医药专利导航。"),
        ("narrative_sme_service", "服务科技型中小企业 35 家。"),
        ("narrative_chain_support", "围绕创新药产业链开展专利布局。"),
    ];
    for (field, text) in areas {
        b.fill_form("/save", field, text).await;
    }
    b.submit("/save", "保存草稿", "draft-saved").await;
    assert!(b.text().await.contains("已保存。"));
    assert_eq!(
        b.value_of("[name='narrative_key_tasks']").await,
        "完成生物医药专利导航。",
        "the draft keeps its text"
    );
    b.will_answer(true);
    b.submit("/save", "提交报告", "submitted").await;
    assert!(b.asked().contains("冻结"), "asked first: {}", b.asked());
    let page = b.text().await;
    assert!(
        page.contains("已提交，数据已冻结。"),
        "the submission confirms itself"
    );
    assert!(page.contains("报告正文") && page.contains("全年完成专利许可 12 项。"));
    b.follow("返回年度考核", "reviews-again").await;
    b.unfold("申请主动退出").await;
    b.fill_form("/reviews/withdraw", "reason", "建设主体调整发展方向")
        .await;
    b.will_answer(true);
    b.submit("/reviews/withdraw", "申请主动退出", "withdrawal-asked")
        .await;
    assert!(
        b.text()
            .await
            .contains("退出申请已提交，等待国家知识产权局决定。")
    );
    b.close().await;
}
