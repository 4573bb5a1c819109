//! A corpus with planted leaders: two units, changes at known dates, a contradicting
//! sighting, an acting head confirmed, a deputy promoted, a masked name, an undated
//! report, a leader stated in the manifest, one name in both units. The tenure tests
//! check it comes out as planted; the dashboard's tests draw it.

/// Reports whose leaders, dates and units are known, one file each, in this order.
const PLANTED: [&str; 11] = [
    // 安远县: secretary 陈明远 with a contradicting 王刚 inside his tenure, then 刘强;
    // head 李华, then 赵敏, a deputy before, acting first.
    "2019年3月5日，安远县召开县委常委会会议。县委书记陈明远主持会议并讲话。县委副书记、县长李华出席会议。会议强调，要抓好招商引资和项目建设。",
    "2019年6月1日，安远县召开安全生产工作会议。县委书记王刚主持会议并讲话。会议强调，要守牢安全底线。",
    "2019年9月10日，安远县召开项目建设推进会。县委书记陈明远出席会议并讲话。副县长赵敏出席。会议要求，加快项目建设。",
    "2020年2月20日，安远县召开经济工作会议。县委书记陈明远主持会议，县委副书记、县长李华作政府工作报告。会议强调，要扎实做好招商引资。",
    "2020年8月15日，安远县召开干部大会。县委书记刘强主持会议并讲话。县委副书记、代县长赵敏讲话。会议强调，要抓好生态环保。",
    "2021年4月1日，安远县召开重点工作推进会。县委书记刘强主持会议并讲话。县委副书记、县长赵敏部署工作。会议强调，要抓好生态环保和乡村振兴。",
    // A masked name is no sighting; an undated report joins its name's tenure.
    "2021年6月1日，安远县召开县委常委会会议。县委书记刘**主持会议。会议强调，要抓好防汛工作。",
    "安远县召开县委常委会会议。县委书记刘强主持会议并讲话。会议强调，要抓好生态环保。",
    // 丰泽区: one secretary; head 吴建, then 李华 — a name of 安远县 too, two tenures.
    "2020年1月10日，丰泽区召开区委全会。区委书记黄志明主持会议并讲话。区委副书记、区长吴建出席会议。会议强调，要抓好城市更新。",
    "2021年1月12日，丰泽区召开经济工作会议。区委书记黄志明主持会议并讲话。区委副书记、区长李华作报告。会议强调，要抓好城市更新。",
    // A manifest states what a report does not say.
    "2021年3月3日，丰泽区召开区政府常务会议。会议强调，要抓好城市更新。",
];

pub fn planted() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    for (i, text) in PLANTED.iter().enumerate() {
        std::fs::write(dir.path().join(format!("{:02}.txt", i + 1)), text).unwrap();
    }
    std::fs::write(
        dir.path().join("meetings.toml"),
        "[\"11.txt\"]\nhead = \"李华\"\nsecretary = \"黄志明\"\n",
    )
    .unwrap();
    dir
}
