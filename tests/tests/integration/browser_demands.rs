//! Technology demands in Chromium: the member enterprise finds its demands from the menu,
//! registers one (every missing field named where it looks, what was typed kept) and reads its
//! contact; its center's staff register one on its behalf, renew and close it (asked first) and
//! reopen it; cnipa reads the anonymous demand without the enterprise's name or contact, in
//! Chinese and in English.

use ipoc_tests::{Backend, browser::Browser};

const PASSWORD: &str = ipoc::seed::demo::DEMO_PASSWORD;
const TITLE: &str = "寻求锂电池极片涂布在线测厚方案";

/// The member registers a demand from the form, after one refused try.
async fn the_member_registers_a_demand(b: &mut Browser) {
    b.log_in("member@demo.ipoc.cn", PASSWORD).await;
    b.follow("技术需求", "demands").await;
    let list = b.text_of("#demands").await;
    assert!(
        list.contains("寻求首次效率高于 88% 的硅碳负极量产工艺")
            && list.contains("苏州纳米新材料有限公司"),
        "the demo demands, named for their own enterprise: {list}"
    );
    b.follow("登记技术需求", "new-demand").await;
    b.fill_form("/demands", "title", TITLE).await;
    b.fill_form("/demands", "budget_min", "2,000,000").await;
    b.fill_form("/demands", "budget_max", "800000").await;
    b.expect_status(422);
    b.submit("/demands", "提交需求", "demand-refused").await;
    assert!(
        b.error_in_view().await,
        "the errors where the person is looking"
    );
    let errors = b.text_of("#demand-form").await;
    for said in [
        "此项必填",
        "请选择所属产业",
        "请从列表中选择",
        "预算上限低于下限",
        "请填写有效期",
    ] {
        assert!(errors.contains(said), "{said} in {errors}");
    }
    assert_eq!(
        b.value_of("input[name=title]").await,
        TITLE,
        "what was typed is kept"
    );
    b.fill_form(
        "/demands",
        "description",
        "涂布后极片厚度波动大，需要在线非接触测厚并闭环调节，精度 ±1 μm。",
    )
    .await;
    b.fill_form("/demands", "keywords", "涂布；测厚；闭环控制")
        .await;
    b.fill_form("/demands", "budget_max", "3,000,000").await;
    b.fill_form("/demands", "contact_name", "周工").await;
    b.fill_form("/demands", "contact_phone", "13912345678")
        .await;
    b.choose("/demands", "industry", "新材料").await;
    b.choose("/demands", "wanted_mode", "license").await;
    b.choose("/demands", "visibility", "platform").await;
    b.pick_date("/demands", "valid_until", "2027-05-31").await;
    b.submit("/demands", "提交需求", "demand-registered").await;
    let page = b.text().await;
    assert!(
        page.contains("技术需求已登记。"),
        "the write confirms itself"
    );
    assert!(
        page.contains("200.00 – 300.00 万元")
            && page.contains("许可")
            && page.contains("平台全部登录用户")
            && page.contains("征集中"),
        "in words and 万元: {page}"
    );
    assert!(
        b.text_of("#contact").await.contains("13912345678"),
        "its own contact"
    );
    b.press("退出", "member-logged-out").await;
}

/// The center's staff register a demand for the member, then renew, close and reopen it.
async fn its_center_registers_renews_and_closes(b: &mut Browser) {
    b.log_in("center@demo.ipoc.cn", PASSWORD).await;
    b.follow("技术需求", "demands-for-the-center").await;
    b.follow("登记技术需求", "new-demand-for-a-member").await;
    b.choose("/demands", "member_uscc", "91320594100000003K")
        .await;
    b.fill_form("/demands", "title", "征集高导热绝缘封装材料")
        .await;
    b.fill_form(
        "/demands",
        "description",
        "功率模块封装需要导热系数 5 W/(m·K) 以上的绝缘材料。",
    )
    .await;
    b.choose("/demands", "industry", "新材料").await;
    b.choose("/demands", "wanted_mode", "commissioned_rd").await;
    b.choose("/demands", "visibility", "alliance").await;
    b.pick_date("/demands", "valid_until", "2026-12-31").await;
    b.submit("/demands", "提交需求", "registered-on-behalf")
        .await;
    let facts = b.text().await;
    assert!(
        facts.contains("代为登记的运营中心") && facts.contains("江苏新材料产业知识产权运营中心"),
        "recorded as registered on the member's behalf"
    );
    b.pick_date("", "valid_until", "2027-06-30").await;
    b.submit("", "保存修改", "renewed").await;
    assert!(b.text().await.contains("修改已保存。") && b.text().await.contains("2027-06-30"));
    b.will_answer(true);
    b.submit("/close", "关闭需求", "closed").await;
    assert!(b.asked().contains("关闭"), "asked first: {}", b.asked());
    assert!(b.text().await.contains("需求已关闭。") && b.text().await.contains("已关闭"));
    b.submit("/reopen", "重新开放需求", "reopened").await;
    assert!(b.text().await.contains("需求已重新开放。"));
    b.press("退出", "center-logged-out").await;
}

/// cnipa reads the anonymous demand without the enterprise's name or contact, then in English.
async fn cnipa_reads_without_name_or_contact(b: &mut Browser) {
    b.log_in("cnipa@demo.ipoc.cn", PASSWORD).await;
    b.follow("技术需求", "demands-for-cnipa").await;
    b.follow("征集海上风电设备长效防腐涂层合作", "anonymous-demand")
        .await;
    let page = b.text().await;
    assert!(
        page.contains("匿名企业") && !page.contains("苏州纳米"),
        "anonymous outside its alliance"
    );
    assert!(
        b.text_of("#contact").await.contains("仅对需求企业"),
        "no contact"
    );
    b.follow("English", "anonymous-demand-in-english").await;
    let page = b.text().await;
    assert!(
        page.contains("Anonymous enterprise")
            && page.contains("Joint R&D")
            && page.contains("Every signed-in user"),
        "{page}"
    );
    b.follow("Demands", "demands-in-english").await;
    assert!(b.column_labels().await.contains(&"Wanted mode".to_string()));
    b.follow("中文", "back-to-chinese").await;
    b.press("退出", "cnipa-logged-out").await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn members_and_centers_register_demands_that_readers_see_within_their_visibility() {
    let root = env!("CARGO_TARGET_TMPDIR");
    let (_app, mut b) =
        ipoc_tests::browser::demo_site(root, "demands", &Backend::Sqlite, &[]).await;
    the_member_registers_a_demand(&mut b).await;
    its_center_registers_renews_and_closes(&mut b).await;
    cnipa_reads_without_name_or_contact(&mut b).await;
    b.close().await;
}
