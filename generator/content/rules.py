"""Every rule a problem can break: its stable id and its hint (the fix), declared once.

As Django's check framework gives each `CheckMessage` an `id` and a `hint`, each problem
names its rule here (`problems.error("front.tab-indent", path, line, message)`). The id is
what tests assert and what `check --verbose` shows after the message; the message itself
stays the Chinese sentence editors read, with the specifics of their file (the value, the
line, a suggestion). Rewording a message therefore changes no test but the few cases that
keep checking the wording (tests/test_cases.py: WORDING).

Ids are `<group>.<rule>`, lowercase ASCII words joined by hyphens, grouped by what the
rule is about (mostly one module each):

- `file.`     a story file as a file: encoding, size, kind, folder (frontmatter, pipeline)
- `front.`    the front matter's framing and YAML (frontmatter, yamlslips)
- `field.`    one field's value as its kind reads it (fields, checks, editorial)
- `date.`     dates no story can have (editorial)
- `story.`    rules across the fields of one story (checks.STORY_RULES)
- `rumour.`   a rumour's claim, summary and fact (fact)
- `picture.`  pictures: found, readable, local, described, without personal data
- `body.`     the body's text as an editor typed it (editorial)
- `html.`     markup that could run, load from elsewhere or take over the page (rawhtml)
- `limit.`    sizes past what any story needs (limits)
- `text.`     characters no output may carry (characters)
- `privacy.`  personal numbers (checks, privacy)
- `address.`  addresses across stories, aliases, successors and what was published
- `review.`   review dates and review levels (三审)
- `correction.` the correction log (corrections)
- `synonyms.` the search synonyms file (wording)
- `official.` the site's own details in mkdocs.yml for a production build (official)
- `output.`   the written site (pipeline)
- `build.`    what the build itself needs (fonts, the read-aloud engine)

A new rule: add a line here (an id not used before, and its hint), then pass the id as a
literal: `error("group.rule", path, line, message)`. `tests/test_rules.py` holds that every
id passed in `generator/` is a literal declared here, and every one declared is used.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Rule:
    """One rule: its stable id and how an editor fixes what breaks it."""

    id: str
    hint: str


def _declare(*rules: tuple[str, str]) -> dict[str, Rule]:
    """The registry, refusing at import an id declared twice."""
    declared: dict[str, Rule] = {}
    for rule_id, hint in rules:
        if rule_id in declared:
            raise ValueError(f"rule id {rule_id!r} declared twice in content/rules.py")
        declared[rule_id] = Rule(rule_id, hint)
    return declared


RULES: dict[str, Rule] = _declare(
    # -- file --------------------------------------------------------------------------
    ("file.not-utf8", "用 UTF-8 编码另存此文件。"),
    ("file.nul-character", "删除空字符，或重新保存为纯文本。"),
    ("file.too-large", "删去粘贴进来的多余内容，或拆成几篇文章。"),
    ("file.not-regular", "换成普通文件：不要用快捷方式、链接或特殊文件。"),
    ("file.not-markdown", "文章请另存为 .md（Markdown）文件。"),
    ("file.outside-sections", "把文章放进栏目文件夹。"),
    ("file.section-unknown", "把文章放进已有的栏目文件夹。"),
    ("file.stories-missing", "检查 --stories 参数或 mkdocs.yml 中的 stories_dir。"),
    # -- front matter ------------------------------------------------------------------
    ("front.missing", "在文件开头写 front matter。"),
    ("front.opening-missing", "第一行写 ---，接着写字段，再用一行 --- 结束。"),
    ("front.closing-missing", "在字段之后单独写一行 --- 与正文分开。"),
    ("front.too-long", "把长内容写进正文。"),
    ("front.too-deep", "检查括号和缩进。"),
    ("front.too-many-nodes", "精简 front matter 的条目。"),
    ("front.empty", "至少填写 title 和 date。"),
    ("front.not-a-mapping", "写成「键: 值」形式的字段列表。"),
    ("front.yaml-invalid", "按提示改正这一行的 YAML 写法。"),
    ("front.alias", "把值直接写出来，不用 & 与 *。"),
    ("front.key-not-text", "字段名写成简单的文字，例如 title。"),
    ("front.anchor-value", "给以 & 开头的值加引号。"),
    ("front.tag-value", "给以 ! 开头的值加引号。"),
    ("front.alias-value", "给以 * 开头的值加引号。"),
    ("front.value-comment", "要显示 # 时，给整个值加引号。"),
    ("front.trailing-comment", "要显示 # 时，给整个值加引号。"),
    ("front.tab-indent", "把行首的 Tab 换成空格。"),
    ("front.full-width-colon", "字段名后用英文冒号加空格。"),
    ("front.colon-space-missing", "在字段名的冒号后加一个空格。"),
    ("front.key-indented", "字段名顶格写。"),
    ("front.dash-space-missing", "列表项的「-」后面加一个空格。"),
    ("front.list-misaligned", "同一个列表的每一项前面的空格要一样多。"),
    ("front.text-after-quote", "值里含引号时，用另一种引号括住整个值。"),
    ("front.quote-unclosed", "补上结束的引号，或去掉开头的引号。"),
    ("front.bracket-unclosed", "补上结束的括号。"),
    ("front.bad-value-start", "给整个值加引号。"),
    ("front.colon-in-value", "改成中文冒号，或给整个值加引号。"),
    # -- fields ------------------------------------------------------------------------
    ("field.required", "填写这个必填字段。"),
    ("field.key-repeated", "同一个字段只保留一个。"),
    ("field.key-unknown", "改正字段名，或删除这个字段。"),
    ("field.not-single", "只写一个值，不要写成列表。"),
    ("field.long-for-cards", "精简到提示的字数以内。"),
    ("field.long-for-wechat", "精简到提示的字数以内。"),
    ("field.date-invalid", "日期写成 YYYY-MM-DD。"),
    ("field.list-item-not-text", "列表的每一项写一段文字。"),
    ("field.list-wrapped", "列表用英文方括号和逗号。"),
    ("field.sources-not-list", "来源写成列表，每条写 title 和 url。"),
    ("field.source-not-mapping", "每条来源写 title 和 url。"),
    ("field.source-url-invalid", "网址以 http:// 或 https:// 开头。"),
    ("field.sources-empty", "至少写一条来源。"),
    ("field.honour-form", "写荣誉名称，或写 {title: 荣誉名称, year: 年份}。"),
    ("field.honour-year-invalid", "写 1949 到 2100 之间的四位数年份。"),
    ("field.bool-invalid", "只填 true 或 false。"),
    ("field.slug-invalid", "只用小写英文字母、数字和连字符。"),
    ("field.term-unknown", "从提示的可选值中选一个。"),
    ("field.sub-key-repeated", "每个字段只保留一个。"),
    ("field.sub-key-unknown", "改用提示中可用的字段。"),
    ("field.sub-value-not-text", "写成一段文字。"),
    ("field.sub-key-missing", "补上缺少的字段。"),
    # -- dates -------------------------------------------------------------------------
    ("date.future", "检查年份和月份是否打错。"),
    ("date.before-epidemic", "检查年份是否打错。"),
    # -- one story's fields together (checks.STORY_RULES) -----------------------------
    ("story.image-alt-missing", "用 image_alt 一句话描述题图。"),
    ("story.consent-false", "取得本人书面同意后改为 true，在此之前加 draft: true。"),
    ("story.successor-without-status", "把 status 改为 outdated 或 withdrawn，或删去 superseded_by。"),
    ("story.updated-before-date", "检查 updated 和 date。"),
    ("story.body-empty", "在第二个 --- 之后写正文。"),
    ("story.title-heading", "删掉「# 」一级标题，小标题用「## 」。"),
    # -- the correction log (content/corrections.py, fields.FieldReader._corrections) ---------
    ("correction.before-publication", "更正记录的日期要在文章的发布日期之后：检查年份和月份。"),
    ("correction.in-future", "写实际更正的日期。"),
    ("correction.note-empty", "用一句话写明改了什么。"),
    ("correction.withdrawal-without-status", "同时写 status: withdrawn；已恢复发布的，再加一条「更新」。"),
    ("correction.status-without-withdrawal", "加一条「撤回」记录，写明日期和原因。"),
    ("correction.verdict-changed", "在 corrections 中加一条说明结论为什么改变，或改回原来的结论。"),
    ("correction.entry-removed", "恢复删掉的更正记录；写错了就再加一条「更正」。"),
    ("correction.entry-not-listed", "每一条前面加「- 」。"),
    ("correction.not-a-list", "写成列表，每条有 date、kind 和 note。"),
    ("correction.entry-incomplete", "每一条写 date、kind 和 note，用英文冒号加空格。"),
    # -- review levels, 三审 (content/reviewlevels.py, fields.FieldReader._reviewers) ---------
    ("review.levels-unused", "网站没有设置审核级别时，删掉 reviewers。"),
    ("review.level-unknown", "只用本站设置的审核级别。"),
    ("review.level-missing", "每一级写审核人的姓名；没审完的先加 draft: true。"),
    ("review.same-person", "每一级由不同的人审核。"),
    ("review.signatures-not-a-mapping", "每一级一行「级别: 姓名」。"),
    ("review.level-repeated", "每个级别只写一次。"),
    ("review.name-missing", "在级别后面写审核人的姓名。"),
    # -- rumours -------------------------------------------------------------------------
    ("rumour.conclusion-repeats-claim", "结论直接说出事实，不复述谣言。"),
    ("rumour.summary-repeats-claim", "摘要第一句直接说出事实。"),
    ("rumour.fact-too-long", "用 conclusion: 写一句短的结论。"),
    # -- pictures ------------------------------------------------------------------------
    ("picture.data-address", "把图片存成文件，再写文件名。"),
    ("picture.other-host", "把图片下载到本文件旁边或 stories/images/ 下。"),
    ("picture.heic", "导出为 JPG 后再引用。"),
    ("picture.format", "使用 JPG、PNG、WebP 或 GIF。"),
    ("picture.unreadable", "重新导出为 JPG 或 PNG。"),
    ("picture.too-many-pixels", "缩小到 5000 万像素以内。"),
    ("picture.outside-stories", "把图片放在本文件旁边或 stories/images/ 下。"),
    ("picture.not-found", "检查图片的文件名、大小写和位置。"),
    ("picture.alt-missing", "用一句话描述图片内容。"),
    ("picture.personal-metadata", "换成去掉位置和个人信息的副本。"),
    ("picture.unprocessable", "重新导出为 JPG 或 PNG。"),
    # -- the body as typed ---------------------------------------------------------------
    ("body.placeholder", "删掉模板的提示文字，换成正文。"),
    ("body.list-lookalike", "列表写成「1. 」或「- 」并在列表前空一行，或在每一项之间空一行。"),
    ("body.list-needs-blank-line", "在列表之前空一行。"),
    ("body.heading-indented", "删掉行首的空白，让「#」顶格。"),
    # -- HTML and links in the body ------------------------------------------------------
    ("html.tag-forbidden", "删除这段 HTML。"),
    ("html.event-attribute", "删除这段 HTML。"),
    ("html.style-load", "删除这个 style。"),
    ("html.reserved-name", "删除这个 id 或 name，或换一个名字。"),
    ("html.reserved-class", "删除这个 class。"),
    ("html.reserved-attribute", "删除这个属性。"),
    ("html.script-link", "删除这个链接。"),
    ("html.foreign-load", "把文件下载到网站里再引用，或删除。"),
    ("html.link-scheme", "改成 http://、https://、mailto:、tel: 地址或本站页面。"),
    # -- limits --------------------------------------------------------------------------
    ("limit.value-too-long", "精简，长内容写进正文。"),
    ("limit.too-many-items", "只保留最重要的几项。"),
    ("limit.tag-too-long", "标签要简短；一句话写进 summary 或正文。"),
    ("limit.paragraph-too-long", "在句子之间空一行，分成几段。"),
    ("limit.paragraph-brackets", "删去多余的方括号，或把这一段拆开。"),
    ("limit.nesting-too-deep", "减少「>」「-」或行首的空格。"),
    ("limit.brackets", "删去多余的方括号。"),
    ("limit.tags-unclosed", "补上「>」；小于号写成「＜」。"),
    ("limit.angle-brackets", "HTML 标签改用 Markdown 排版，小于号写成「＜」。"),
    ("limit.comments-unclosed", "补上「-->」。"),
    # -- characters ----------------------------------------------------------------------
    ("text.forbidden-character", "删除看不见的特殊字符，或重新输入这一行。"),
    # -- personal data -------------------------------------------------------------------
    ("privacy.mobile-number", "删除私人手机号；单位公开的号码写进 allow_numbers。"),
    ("privacy.id-number", "删除号码，提到个人时写作某某。"),
    ("privacy.number-allowed", "确认这是单位对外公开的号码。"),
    ("privacy.more-numbers", "检查全文，删除所有个人号码。"),
    ("privacy.number-in-file-name", "给文件改名，不用号码。"),
    # -- addresses -----------------------------------------------------------------------
    ("address.invalid", "写本站地址，例如 /rumours/baijiu/。"),
    ("address.slug-reserved", "用 slug: 另取一个网址短名。"),
    ("address.taken", "用 slug: 为本文另取网址短名。"),
    ("address.successor-unknown", "填写替代文章的地址。"),
    ("address.alias-is-own", "从 aliases 中删除本文现在的地址。"),
    ("address.alias-is-live", "从 aliases 中删除另一篇文章的地址。"),
    ("address.alias-generated", "从 aliases 中删除网站自己的页面或文件的地址。"),
    ("address.alias-in-story-folder", "从 aliases 中删除这个地址。"),
    ("address.alias-repeated", "一个旧地址只写在一篇文章的 aliases 中。"),
    ("address.published-now-draft", "删掉 draft: true，要撤下就写 status: withdrawn。"),
    ("address.published-moved", "在 aliases 中写上旧地址，或改回原来的网址。"),
    ("address.published-gone", "保留文件并写 status: withdrawn，或把旧地址写进新文章的 aliases。"),
    # -- review --------------------------------------------------------------------------
    ("review.overdue", "请专家重新审核，并更新 reviewed。"),
    # -- the synonyms file ---------------------------------------------------------------
    ("synonyms.yaml-invalid", "每行写成 - [词一, 词二]。"),
    ("synonyms.not-a-list", "每行写成 - [词一, 词二]。"),
    ("synonyms.group-form", "每行写成 - [词一, 词二]。"),
    ("synonyms.word-invalid", "每个词至少两个字，只用汉字、字母和数字。"),
    ("synonyms.word-repeated", "删去重复的词。"),
    ("synonyms.group-too-small", "补上同义的词，或删去这一行。"),
    # -- the site's own details (production builds) -------------------------------------
    ("official.example-text", "填写真实的信息，或删除这一项。"),
    ("official.zeros", "填写真实的号码，或删除这一项。"),
    ("official.example-host", "换成真实的网址或邮箱。"),
    ("official.platform-home", "填写账号主页的网址，或删除 url。"),
    ("official.qr-unreadable", "把二维码图片放在 site_src/ 下并写对文件名。"),
    ("official.qr-no-code", "换成平台后台下载的二维码原图。"),
    ("official.qr-own-site", "换成平台给的账号二维码。"),
    ("official.icp-missing", "在 extra.organisation 下写 icp。"),
    ("official.icp-invalid", "写成“渝ICP备12345678号”的样子。"),
    ("official.organisation-missing", "在 extra.organisation 下写 name。"),
    ("official.placeholders-left", "正式发布前填写真实信息。"),
    # -- the written site ----------------------------------------------------------------
    ("output.outside-site", "修改这个地址或文件名。"),
    ("output.clash", "修改其中一处的地址或文件名。"),
    ("output.invalid-feed", "把这条消息转给技术人员。"),
    ("output.foreign-load", "把文件下载进网站自己的文件夹再引用。"),
    # -- what the build needs ------------------------------------------------------------
    ("build.font-missing", "运行 make site 安装依赖。"),
    ("build.glyph-missing", "在网站名称或栏目说明中换用常用字。"),
    ("build.speech-engine-missing", "安装朗读引擎后重新生成。"),
)
