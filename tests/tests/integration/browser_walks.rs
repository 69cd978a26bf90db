//! Each role's main work in a real headless Chromium, as a person does it: links followed, forms
//! filled, buttons pressed; every step photographed under the test's output folder
//! (`target/tmp/browser/<role>/`) and checked for console errors, CSP violations, 5xx answers and
//! raw keys.

use ipoc_tests::{
    Backend, TestApp,
    browser::{self, Browser},
};

/// The demo site and a browser on it, photographing into `browser/<role>/`.
async fn demo_site(role: &str) -> (TestApp, Browser) {
    browser::demo_site(env!("CARGO_TARGET_TMPDIR"), role, &Backend::Sqlite, &[]).await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn anonymous_reads_searches_and_opens_the_public_list() {
    let (_app, mut b) = demo_site("anonymous").await;
    b.enter("/", "home").await;
    b.follow("公示名录", "public-list").await;
    assert_eq!(
        b.column_labels().await,
        [
            "中心",
            "级别",
            "产业",
            "省份",
            "建设主体",
            "状态",
            "建设周期"
        ]
    );
    let all = b.text().await;
    for center in [
        "苏州纳米技术产业知识产权运营中心（演示）",
        "无锡物联网产业知识产权运营中心（演示）",
    ] {
        assert!(all.contains(center), "{center} on the public list");
    }
    assert!(all.contains("国家级"), "levels in words");

    b.fill("q", "物联网").await;
    b.press("搜索", "searched").await;
    let found = b.text().await;
    assert!(found.contains("无锡物联网产业知识产权运营中心（演示）"));
    assert!(
        !found.contains("苏州纳米技术产业知识产权运营中心（演示）"),
        "only what matches"
    );
    assert!(found.contains("共计 1"));

    b.follow("无锡物联网产业知识产权运营中心（演示）", "public-center")
        .await;
    let center = b.text().await;
    for shown in [
        "无锡物联网产业知识产权运营中心（演示）",
        "新一代信息技术",
        "江苏",
        "建设周期",
    ] {
        assert!(
            center.contains(shown),
            "the center's public page shows {shown}"
        );
    }
    b.follow("运营中心认定公示与名录", "back-by-breadcrumb")
        .await;
    b.fill("q", "物联网").await;
    b.press("搜索", "searched-again").await;
    b.follow("English", "english-keeps-the-search").await;
    assert_eq!(
        b.column_labels().await,
        [
            "Center", "Level", "Industry", "Province", "Host", "Status", "Cycle"
        ]
    );
    assert!(
        b.text().await.contains("Centers found: 1"),
        "the search survives the language switch"
    );
    b.follow("中文", "chinese-again").await;
    b.close().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_member_sees_its_organization_and_asks_to_join_a_center() {
    let (_app, mut b) = demo_site("member").await;
    b.log_in("member@demo.ipoc.cn", ipoc::seed::demo::DEMO_PASSWORD)
        .await;
    let home = b.text().await;
    assert!(home.contains("苏州纳米新材料有限公司"), "its organization");
    assert!(
        home.contains("可申请加入的运营中心"),
        "the centers it may ask to join"
    );
    let center = "无锡物联网产业知识产权运营中心（演示）";
    b.fill_in_row(center, "message", "我们生产物联网传感器，希望加入联盟。")
        .await;
    b.press_in_row(center, "申请加入", "asked-to-join").await;
    let after = b.text().await;
    assert!(
        after.contains("入盟申请已提交"),
        "the request confirms itself"
    );
    let requests = b
        .client
        .execute(
            "return document.getElementById('requests').innerText",
            Vec::new(),
        )
        .await
        .unwrap();
    let requests = requests.as_str().unwrap_or_default();
    assert!(
        requests.contains(center) && requests.contains("待审核"),
        "{requests}"
    );
    let joinable = b
        .client
        .execute(
            "return document.getElementById('join').innerText",
            Vec::new(),
        )
        .await
        .unwrap();
    assert!(
        !joinable.as_str().unwrap_or_default().contains(center),
        "no second request to the same center"
    );
    let alliances = b
        .client
        .execute(
            "return document.getElementById('alliances').innerText",
            Vec::new(),
        )
        .await
        .unwrap();
    assert!(
        alliances
            .as_str()
            .unwrap_or_default()
            .contains("苏州纳米技术产业知识产权运营中心（演示）"),
        "the alliances it belongs to"
    );
    b.follow(
        "南京生物医药产业知识产权运营中心（演示）",
        "another-center-public-page",
    )
    .await;
    b.close().await;
}

/// The checks of every step see what they are there to see: a console error, a 5xx answer, a
/// violation of the Content-Security-Policy, a raw key.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_harness_sees_console_errors_csp_violations_and_raw_keys() {
    let (_app, mut b) = demo_site("harness").await;
    b.enter("/public/centers", "clean").await;
    b.client
        .execute("console.error('boom')", Vec::new())
        .await
        .unwrap();
    let seen = b.problems().await;
    assert!(
        seen.iter().any(|p| p.contains("boom")),
        "a console error: {seen:?}"
    );
    let inline = "const s = document.createElement('script'); s.textContent = 'window.x = 1'; document.body.appendChild(s);";
    b.client.execute(inline, Vec::new()).await.unwrap();
    tokio::time::sleep(std::time::Duration::from_millis(500)).await;
    let seen = b.problems().await;
    assert!(
        seen.iter().any(|p| p.contains("CSP violation")),
        "an inline script refused and reported: {seen:?}"
    );
    b.client
        .execute(
            "document.body.insertAdjacentText('beforeend', ' operation_scale draft ')",
            Vec::new(),
        )
        .await
        .unwrap();
    let seen = b.problems().await;
    assert!(
        seen.iter().any(|p| p.contains("operation_scale"))
            && seen.iter().any(|p| p.ends_with(": draft")),
        "raw keys: {seen:?}"
    );
    b.client
        .goto(&format!("{}/no-such-page", _app.address))
        .await
        .unwrap();
    let seen = b.problems().await;
    assert!(
        seen.iter().any(|p| p.contains("404")),
        "a failed answer in the console: {seen:?}"
    );
    b.close().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn center_staff_record_a_deal_add_a_member_and_import_a_file() {
    let (_app, mut b) = demo_site("center").await;
    b.log_in("center@demo.ipoc.cn", ipoc::seed::demo::DEMO_PASSWORD)
        .await;
    b.follow("本中心", "center-page").await;
    let amount_before = b.text_of("#progress tbody tr td.num").await;
    let deals_before = b.text_of("#deals h2 small").await;

    // a refused save comes back with the error in view and the input kept
    b.unfold("登记运营交易").await;
    b.choose("/transactions", "kind", "license").await;
    b.fill_form("/transactions", "amount", "1.001").await;
    b.expect_status(422);
    b.submit("/transactions", "保存", "deal-refused").await;
    assert!(
        b.error_in_view().await,
        "the error is where the person looks"
    );
    assert!(b.text().await.contains("两位小数"));

    // a deal written as people write amounts, then confirmed, with the progress moved
    b.fill_form("/transactions", "amount", "1,700,000").await;
    b.pick_date("/transactions", "contract_date", "2026-11-02")
        .await;
    b.fill_form("/transactions", "patent_numbers", "201710601862.3")
        .await;
    b.fill_form("/transactions", "counterparty_uscc", &ipoc_tests::uscc(5))
        .await;
    b.submit("/transactions", "保存", "deal-recorded").await;
    assert!(
        b.text().await.contains("交易已记录，进度已更新。"),
        "the save confirms itself"
    );
    assert_ne!(
        b.text_of("#progress tbody tr td.num").await,
        amount_before,
        "the amount moved"
    );
    assert_ne!(
        b.text_of("#deals h2 small").await,
        deals_before,
        "one deal more"
    );
    assert!(
        b.text_of("#deals").await.contains("1,700,000.00"),
        "the amount grouped for reading"
    );
    b.look_at("img.chart", "the-chart-after-the-deal").await;

    // a new organization joins the alliance
    b.unfold("添加联盟成员").await;
    b.fill_form("/members", "uscc", &ipoc_tests::uscc(8)).await;
    b.fill_form("/members", "name", "浏览器测试大学").await;
    b.choose("/members", "kind", "university").await;
    b.fill_form("/members", "region_code", "320505").await;
    b.submit("/members", "保存", "member-added").await;
    assert!(b.text().await.contains("成员已加入联盟。"));
    assert!(b.text_of("#members").await.contains("浏览器测试大学"));

    // a file of two deals, imported whole, confirmed with its row count
    let file = std::env::temp_dir().join(format!("ipoc-walk-deals-{}.csv", std::process::id()));
    let counterparty = ipoc_tests::uscc(5);
    let csv = format!(
        "类型,金额(元),合同日期,交易对方统一社会信用代码\n许可,120000,2026-10-01,{counterparty}\n转让,\"80,000\",2026-10-02,{counterparty}\n"
    );
    std::fs::write(&file, csv).unwrap();
    b.attach("/imports/transactions", "file", &file).await;
    b.submit("/imports/transactions", "导入", "imported").await;
    assert!(
        b.text().await.contains("导入成功：共 2 行已记录。"),
        "the import confirms itself with its rows"
    );
    let _ = std::fs::remove_file(&file);
    b.close().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_person_of_a_registered_organization_registers_and_its_center_approves() {
    let (_app, mut b) = demo_site("link").await;
    // 苏州大学, a member of the demo center's alliance
    let code = ipoc::domain::identifiers::with_check_character("12320000466000001").unwrap();
    b.enter("/", "home").await;
    b.follow("注册", "register").await;
    b.fill("email", "teacher@suda.edu.cn").await;
    b.fill("person_name", "郑老师").await;
    b.fill("password", "a-long-password-2026").await;
    b.fill("uscc", &code.to_string()).await;
    b.press("注册", "registered").await;
    let mine = b.text_of("#my-link").await;
    assert!(
        mine.contains("苏州大学") && mine.contains("待审核"),
        "the request's state: {mine}"
    );
    b.press("退出", "logged-out").await;

    b.log_in("center@demo.ipoc.cn", ipoc::seed::demo::DEMO_PASSWORD)
        .await;
    let waiting = b.text_of("#links").await;
    assert!(
        waiting.contains("郑老师") && waiting.contains("teacher@suda.edu.cn"),
        "{waiting}"
    );
    b.press_in_row("郑老师", "批准", "approved").await;
    assert!(b.text().await.contains("已批准，该人员已关联到机构。"));
    assert_eq!(b.text_of("#links").await, "", "nothing waits any more");
    b.close().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_member_asks_to_join_and_the_centers_staff_approve_on_its_page() {
    let (_app, mut b) = demo_site("join").await;
    let center = "南京生物医药产业知识产权运营中心（演示）";
    b.log_in("member@demo.ipoc.cn", ipoc::seed::demo::DEMO_PASSWORD)
        .await;
    b.fill_in_row(center, "message", "希望参与生物医药专利运营。")
        .await;
    b.press_in_row(center, "申请加入", "asked-to-join").await;
    b.press("退出", "member-logged-out").await;

    b.log_in("nanjing@demo.ipoc.cn", ipoc::seed::demo::DEMO_PASSWORD)
        .await;
    b.follow("本中心", "center-page").await;
    let waiting = b.text_of("#join-requests").await;
    assert!(
        waiting.contains("苏州纳米新材料有限公司") && waiting.contains("希望参与"),
        "{waiting}"
    );
    b.press_in_row("苏州纳米新材料有限公司", "批准", "approved")
        .await;
    assert!(b.text().await.contains("已批准入盟，成员已加入联盟。"));
    assert!(
        b.text_of("#members")
            .await
            .contains("苏州纳米新材料有限公司"),
        "a member now"
    );
    assert_eq!(
        b.text_of("#join-requests").await,
        "",
        "nothing waits any more"
    );
    b.close().await;
}
