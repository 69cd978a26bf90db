//! A listing's rights in Chromium: the member enterprise opens its utility model's rights page
//! from the library, reads what bars an open licence, records a pledge (the bar appears), is
//! refused a declaration with a wrong fee at its field and then for the pledge and the missing
//! evaluation report above the form, ends the pledge, uploads the report, declares; cnipa reads
//! the declaration without any form, in English too; the member withdraws it, asked first.

use ipoc_tests::{Backend, browser::Browser};

const PASSWORD: &str = ipoc::seed::demo::DEMO_PASSWORD;
const TITLE: &str = "一种用于电池极片的视觉缺陷检测装置";

/// The member finds the rights page and records a pledge.
async fn the_member_records_a_pledge(b: &mut Browser) {
    b.log_in("member@demo.ipoc.cn", PASSWORD).await;
    b.follow("专利资源库", "library").await;
    b.follow(TITLE, "listing").await;
    b.follow("权利状况与开放许可 →", "rights").await;
    let page = b.text().await;
    assert!(
        page.contains("目前不能声明开放许可") && page.contains("须提交专利权评价报告"),
        "the bar in words: {page}"
    );
    b.fill_form("/rights/pledges", "pledgee", "苏州银行工业园区支行")
        .await;
    b.pick_date("/rights/pledges", "from", "2026-06-01").await;
    b.submit("/rights/pledges", "登记质押", "pledged").await;
    let page = b.text().await;
    assert!(
        page.contains("登记事项已保存。"),
        "the write confirms itself"
    );
    assert!(
        page.contains("专利权已质押给 苏州银行工业园区支行，未取得质权人同意"),
        "the new bar named: {page}"
    );
}

/// Fills the declaration's form: a royalty of `fee` percent, paid quarterly, for three years.
async fn fill_the_declaration(b: &Browser, fee: &str) {
    let form = "/rights/open-licence";
    b.choose(form, "fee_kind", "royalty_rate").await;
    b.fill_form(form, "fee", fee).await;
    b.fill_form(form, "payment", "按季度结算，次季度首月 15 日前支付")
        .await;
    b.fill_form(form, "term_years", "3").await;
}

/// A wrong fee is named at its field; then the bars are named above the form.
async fn the_member_is_refused_then_declares(b: &mut Browser, report: &std::path::Path) {
    fill_the_declaration(b, "120").await;
    b.expect_status(422);
    b.submit("/rights/open-licence", "声明开放许可", "fee-refused")
        .await;
    assert!(
        b.error_in_view().await,
        "the error where the person is looking"
    );
    assert!(b.text_of(".field-error").await.contains("提成比例"));
    assert_eq!(
        b.value_of("textarea[name=payment]").await,
        "按季度结算，次季度首月 15 日前支付",
        "kept"
    );
    b.fill_form("/rights/open-licence", "fee", "3.5").await;
    b.expect_status(409);
    b.submit("/rights/open-licence", "声明开放许可", "bars-refused")
        .await;
    assert!(
        b.error_in_view().await,
        "the refusal where the person is looking"
    );
    let refusal = b.text_of("#declare [role=alert]").await;
    assert!(
        refusal.contains("质押") && refusal.contains("专利权评价报告"),
        "{refusal}"
    );
    b.pick_date("/end", "to", "2026-11-20").await;
    b.submit("/end", "结束", "pledge-ended").await;
    assert!(b.text().await.contains("已登记结束日"));
    b.attach("/rights/evaluation-report", "file", report).await;
    b.submit(
        "/rights/evaluation-report",
        "上传专利权评价报告",
        "report-uploaded",
    )
    .await;
    let page = b.text().await;
    assert!(
        page.contains("专利权评价报告已上传") && page.contains("目前可以声明开放许可"),
        "{page}"
    );
    fill_the_declaration(b, "3.5").await;
    b.submit("/rights/open-licence", "声明开放许可", "declared")
        .await;
    let page = b.text().await;
    assert!(
        page.contains("开放许可已声明") && page.contains("开放许可声明（生效中）"),
        "{page}"
    );
    assert!(
        page.contains("3.5%") && page.contains("2026-11-21 — 2029-11-20"),
        "{page}"
    );
}

/// cnipa reads the declaration and the facts, with no form, in Chinese and in English.
async fn cnipa_reads_it(b: &mut Browser) {
    b.log_in("cnipa@demo.ipoc.cn", PASSWORD).await;
    b.follow("专利资源库", "cnipa-library").await;
    b.follow(TITLE, "cnipa-listing").await;
    assert!(
        b.text().await.contains("开放许可"),
        "the offered mode shows"
    );
    b.follow("权利状况与开放许可 →", "cnipa-rights").await;
    let page = b.text().await;
    assert!(
        page.contains("按销售额提成")
            && page.contains("苏州银行工业园区支行")
            && page.contains("已结束"),
        "{page}"
    );
    assert!(
        !page.contains("声明开放许可") && !page.contains("登记质押"),
        "no form for a reader"
    );
    b.follow("English", "cnipa-rights-en").await;
    let page = b.text().await;
    assert!(
        page.contains("Open licence (in force)")
            && page.contains("Royalty rate")
            && page.contains("Pledge"),
        "{page}"
    );
    b.follow("中文", "cnipa-rights-zh").await;
}

/// The member withdraws the declaration, asked first.
async fn the_member_withdraws_it(b: &mut Browser) {
    b.log_in("member@demo.ipoc.cn", PASSWORD).await;
    b.follow("专利资源库", "library-again").await;
    b.follow(TITLE, "listing-again").await;
    b.follow("权利状况与开放许可 →", "rights-again").await;
    b.will_answer(true);
    b.submit("/open-licence/withdraw", "撤回开放许可声明", "withdrawn")
        .await;
    assert!(
        b.asked().contains("已达成的许可继续有效"),
        "asked first: {}",
        b.asked()
    );
    let page = b.text().await;
    assert!(
        page.contains("开放许可声明已撤回") && page.contains("历次声明") && page.contains("已撤回"),
        "{page}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_owner_records_its_patents_rights_and_declares_an_open_licence() {
    let root = env!("CARGO_TARGET_TMPDIR");
    let report = std::path::PathBuf::from(root).join("evaluation-report.pdf");
    std::fs::write(
        &report,
        b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n",
    )
    .unwrap();
    let (_app, mut b) = ipoc_tests::browser::demo_site(root, "rights", &Backend::Sqlite, &[]).await;
    the_member_records_a_pledge(&mut b).await;
    the_member_is_refused_then_declares(&mut b, &report).await;
    cnipa_reads_it(&mut b).await;
    the_member_withdraws_it(&mut b).await;
    b.close().await;
}
