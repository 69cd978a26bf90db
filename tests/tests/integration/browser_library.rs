//! The patent library in Chromium: a member enterprise lists one of its patents from the menu
//! (a wrong application number refused at its field, what was typed kept), finds it in the
//! library with its contact; the staff of the center whose alliance holds the member read the
//! contact too, cnipa does not; another enterprise registers, finds it by searching (words marked,
//! a traditional character folded, synonyms shown), evaluates it and keeps it among its favourites;
//! the member reads the evaluation, corrects the price and withdraws it, asked first.

use ipoc_tests::{Backend, browser::Browser};

const PASSWORD: &str = ipoc::seed::demo::DEMO_PASSWORD;
const TITLE: &str = "一种石墨烯改性防腐涂料及其制备方法";

/// The member lists a patent from the form, after one refused number.
async fn the_member_lists_a_patent(b: &mut Browser) {
    b.log_in("member@demo.ipoc.cn", PASSWORD).await;
    b.follow("专利资源库", "library").await;
    b.follow("登记专利", "new-listing").await;
    for (name, value) in [
        ("application_number", "201810123456.1"),
        ("title", TITLE),
        ("abstract", "石墨烯片层阻隔腐蚀介质，涂层耐盐雾 2000 小时。"),
        ("ipc", "C09D 5/08；C09D 7/61"),
        ("asking_price", "1,200,000"),
        ("contact_name", "孙经理"),
        ("contact_phone", "0512-66668888"),
    ] {
        b.fill_form("/patents", name, value).await;
    }
    b.choose("/patents", "industry", "新材料").await;
    b.choose("/patents", "legal_status", "granted").await;
    b.choose("/patents", "maturity", "6").await;
    b.pick_date("/patents", "grant_date", "2021-04-16").await;
    b.tick("转让").await;
    b.tick("许可").await;
    b.expect_status(422);
    b.submit("/patents", "登记上架", "number-refused").await;
    assert!(
        b.error_in_view().await,
        "the error where the person is looking"
    );
    assert!(
        b.text_of(".field-error").await.contains("校验位"),
        "the fault in the number named"
    );
    assert_eq!(
        b.value_of("input[name=title]").await,
        TITLE,
        "what was typed is kept"
    );
    b.fill_form("/patents", "application_number", "201810123456.5")
        .await;
    b.submit("/patents", "登记上架", "listed").await;
    let page = b.text().await;
    assert!(
        page.contains("专利已登记上架。"),
        "the listing confirms itself"
    );
    assert!(
        page.contains("有效（已授权）") && page.contains("发明") && page.contains("转让 · 许可"),
        "in words"
    );
    assert!(page.contains("1,200,000.00"), "the price grouped");
    assert!(
        b.text_of("#contact").await.contains("孙经理"),
        "the owner sees its contact"
    );
}

/// Whoever reads: the center holding the member sees the contact, cnipa only that it is hidden.
async fn readers_find_it(b: &mut Browser) {
    b.press("退出", "member-logged-out").await;
    b.log_in("center@demo.ipoc.cn", PASSWORD).await;
    b.follow("专利资源库", "library-for-the-center").await;
    b.follow(TITLE, "listing-for-the-center").await;
    assert!(
        b.text_of("#contact").await.contains("0512-66668888"),
        "its alliance's center sees the contact"
    );
    b.press("退出", "center-logged-out").await;
    b.log_in("cnipa@demo.ipoc.cn", PASSWORD).await;
    b.follow("专利资源库", "library-for-cnipa").await;
    b.follow(TITLE, "listing-for-cnipa").await;
    let contact = b.text_of("#contact").await;
    assert!(
        !contact.contains("孙经理") && contact.contains("仅对专利权人"),
        "{contact}"
    );
    b.press("退出", "cnipa-logged-out").await;
}

/// Another enterprise registers, evaluates the listing (a missing prospect named first) and
/// corrects its evaluation; the owner then reads it.
async fn another_enterprise_evaluates_it(b: &mut Browser) {
    b.enter("/", "front").await;
    b.follow("注册", "register").await;
    let code = ipoc::domain::identifiers::with_check_character("91320500000077001")
        .unwrap()
        .to_string();
    for (name, value) in [
        ("email", "buyer@coating.example.cn"),
        ("person_name", "钱采购"),
        ("password", "a-long-password-2026"),
        ("uscc", code.as_str()),
        ("name", "苏州防腐涂料有限公司"),
        ("region_code", "320505"),
    ] {
        b.fill(name, value).await;
    }
    b.choose("/register", "kind", "enterprise").await;
    b.press("注册", "registered").await;
    b.follow("专利资源库", "library-for-the-buyer").await;
    b.fill_form("/patents", "q", "石墨烯 防腐塗料").await;
    b.submit("/patents", "检索", "searched").await;
    let found = b.text_of("#listings").await;
    assert!(
        found.contains(TITLE),
        "found by its words, one in traditional characters: {found}"
    );
    assert_eq!(
        b.text_of("#listings tbody tr:first-child td:nth-child(2) a mark")
            .await,
        "石墨烯",
        "the words marked"
    );
    assert!(
        b.text_of("#also-searched").await.contains("涂层"),
        "the synonyms searched are shown"
    );
    assert!(
        b.text_of("#facets").await.contains("新材料"),
        "counted by industry"
    );
    b.follow(TITLE, "listing-for-the-buyer").await;
    assert!(
        !b.text_of("#contact").await.contains("孙经理"),
        "no contact for another enterprise"
    );
    b.choose("/evaluation", "intent", "license").await;
    b.fill_form(
        "/evaluation",
        "improvement_needs",
        "需验证海洋环境下的附着力",
    )
    .await;
    b.expect_status(422);
    b.submit("/evaluation", "提交评价", "evaluation-refused")
        .await;
    assert!(
        b.text_of("#evaluations .field-error")
            .await
            .contains("产业化前景"),
        "the prospect asked for"
    );
    assert_eq!(
        b.value_of("textarea[name=improvement_needs]").await,
        "需验证海洋环境下的附着力",
        "kept"
    );
    b.choose("/evaluation", "prospect", "4").await;
    b.fill_form("/evaluation", "contact_name", "钱采购").await;
    b.fill_form("/evaluation", "contact_phone", "0512-67778888")
        .await;
    b.submit("/evaluation", "提交评价", "evaluated").await;
    let section = b.text_of("#evaluations").await;
    assert!(
        b.text().await.contains("评价已保存。") && section.contains("需验证海洋环境下的附着力"),
        "{section}"
    );
    b.choose("/evaluation", "prospect", "5").await;
    b.submit("/evaluation", "修改评价", "evaluation-corrected")
        .await;
    assert!(
        b.text_of("#evaluations")
            .await
            .contains("平均产业化前景 5.0")
    );
    b.submit("/favourite", "☆ 收藏", "kept").await;
    assert!(
        b.text().await.contains("已加入我的收藏。"),
        "the favourite confirms itself"
    );
    b.follow("我的收藏", "favourites").await;
    assert!(
        b.text_of("#favourites").await.contains(TITLE),
        "kept among the buyer's favourites"
    );
    b.press("退出", "buyer-logged-out").await;
}

/// The member corrects the price and withdraws the listing, asked first.
async fn the_member_corrects_and_withdraws_it(b: &mut Browser) {
    b.log_in("member@demo.ipoc.cn", PASSWORD).await;
    b.follow("专利资源库", "library-again").await;
    b.follow(TITLE, "own-listing").await;
    let evaluations = b.text_of("#evaluations").await;
    assert!(
        evaluations.contains("苏州防腐涂料有限公司")
            && evaluations.contains("获得许可")
            && evaluations.contains("钱采购 · 0512-67778888"),
        "the owner reads each evaluation and the evaluator's contact: {evaluations}"
    );
    b.fill_form("", "asking_price", "1000000").await;
    b.submit("", "保存修改", "price-corrected").await;
    let page = b.text().await;
    assert!(
        page.contains("修改已保存。") && page.contains("1,000,000.00"),
        "the correction confirms itself"
    );
    b.will_answer(true);
    b.submit("/withdraw", "撤下", "withdrawn").await;
    assert!(b.asked().contains("撤下"), "asked first: {}", b.asked());
    assert!(b.text().await.contains("专利已撤下。"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_member_lists_a_patent_and_its_center_reads_the_contact() {
    let root = env!("CARGO_TARGET_TMPDIR");
    let (_app, mut b) =
        ipoc_tests::browser::demo_site(root, "library", &Backend::Sqlite, &[]).await;
    the_member_lists_a_patent(&mut b).await;
    readers_find_it(&mut b).await;
    another_enterprise_evaluates_it(&mut b).await;
    the_member_corrects_and_withdraws_it(&mut b).await;
    b.close().await;
}
