"""The one table: each section's folder, labels, templates and front-matter fields.

Validation, the `new` templates, the editors' JSON Schema (`render/completion.py`,
`python -m generator schema`), the editor's form (`render/cms.py`), search, browsing,
JSON-LD and the page templates all read this table; no other module branches on a
section's or a field's name. What a field does is declared here: its kind (how it is read:
the readers' registry in `content/fields.py`), its search role, its facet, its schema.org
properties, its role (what rules and outputs look it up by, e.g. a rumour's verdict).
Adding a section is one `Section(...)` here plus, if it wants one, a header template
(`header/<key>.html`, else `header/_default.html`).
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum


class Kind(Enum):
    """How a front-matter value is written and read."""

    TEXT = "text"
    DATE = "date"
    TEXT_LIST = "text_list"
    SOURCES = "sources"
    HONOURS = "honours"
    BOOL = "bool"
    TERM = "term"
    ADDRESS = "address"
    ADDRESS_LIST = "address_list"
    SLUG = "slug"
    IMAGE = "image"
    CORRECTIONS = "corrections"
    REVIEWERS = "reviewers"


class Search(Enum):
    """Where a field's words go in the search index (render/search.py). Title and body are
    the story's own; a fact is shown as 「label：value」 in a hit's snippet."""

    NONE = ""
    FACT = "head"  # short facts: tags, district, a person's name …, ranked after the title
    LEAD = "lead"  # the summary and a rumour's claim, ranked after the facts


class Role(Enum):
    """What rules and outputs look a section's own field up by (Story.get), so that no module
    names a field: the verdict a badge and a share post lead with, the consent a rule
    requires, the review date the next review is counted from …"""

    TITLE = "title"  # what `new` writes from its argument
    PUBLISHED = "published"  # the publication date, which `new` writes as today
    VERDICT = "verdict"  # a vocabulary term: the badge, the share post's 【…】, the card
    CLAIM = "claim"  # the claim as it circulated (never repeated by the fact)
    CLAIM_SEEN = "claim_seen"  # where and when it circulated
    CONCLUSION = "conclusion"  # the fact, one line, that every output leads with
    CONSENT = "consent"  # must be true unless a draft; without it no portrait on the poster
    REVIEWED = "reviewed"  # the last expert review: the next is due a review period later
    REVIEWED_BY = "reviewed_by"
    REVIEW_DUE = "review_due"  # a date meant to lie ahead (not checked as a past date)
    POINTS = "points"  # the poster's list
    PERSON = "person"  # the name of the person a story is about
    JOB = "job"  # what that person does
    UNIT = "unit"  # where that person works
    HONOURS = "honours"
    AUDIENCE = "audience"
    SOURCES = "sources"  # the authorities' pages cited, listed under the body


@dataclass(frozen=True)
class Facet:
    """A field whose values each get a page (render/browse.py): /<folder>/<value>/ and an index."""

    folder: str
    heading: str
    lede: str
    report: bool = False  # the index lists every term by month, with the report as CSV (区县)


@dataclass(frozen=True)
class Schema:
    """A section's schema.org type (render/share.py writes the JSON-LD)."""

    type: str
    omit: tuple[str, ...] = ()  # properties of the common article set this type does not take
    checked_by_publisher: bool = False  # a fact check: the publisher is its author, the byline contributes


@dataclass(frozen=True)
class Field:
    """One front-matter key: its type, whether it is required, how editors are told of it, and
    what it does (search role, facet, schema.org properties, role)."""

    key: str
    kind: Kind
    label: str
    help: str
    required: bool = False
    vocabulary: str = ""
    warn_length: int = 0
    wechat_length: int = 0  # what the 公众号 draft keeps of it (title 32, author 16, digest 128)
    example: str = ""
    default: str = ""
    search: Search = Search.NONE
    facet: str = ""  # the folder of a Facet in FACETS
    # schema.org properties, as paths: `about:Person.jobTitle` is the `jobTitle` of the `about`
    # object (of @type Person); `[]` makes a list of the field's items; `~date` takes the first
    # YYYY-MM-DD of a text. Values by kind: dates ISO, terms their label (a verdict term's
    # `rating` from its vocabulary), sources CreativeWorks, honours as the page writes them.
    schema: tuple[str, ...] = ()
    role: Role | None = None
    alarm: bool = False  # the review tool lists a change of it first (review.py)
    max_items: int = 0  # a list's most items (0: the kind's limit in content/limits.py)
    item_chars: int = 0  # each item's most characters (a tag makes a page)


@dataclass(frozen=True)
class Section:
    """A kind of story: where its files live and what its front matter holds."""

    key: str
    label: str
    description: str
    hashtag: str
    own_fields: tuple[Field, ...]
    body_hint: str
    badge_field: str = ""
    schema: Schema = Schema("Article")
    header: str = ""  # a template under header/; "" looks for header/<key>.html, else header/_default.html
    lead: str = ""  # the same under lead/: what shows right under the title

    @property
    def folder(self) -> str:
        """The folder under `stories/` (and the first part of every address)."""
        return self.key

    @property
    def fields(self) -> tuple[Field, ...]:
        """Every field a story of this section may carry, common ones first."""
        return COMMON_FIELDS + self.own_fields

    @property
    def header_template(self) -> tuple[str, ...]:
        """The templates that may draw this section's header on a story page, first found wins
        (Jinja's include of a list; as Hugo's `_default`)."""
        return _lookup("header", self.header, self.key)

    @property
    def lead_template(self) -> tuple[str, ...]:
        """The same for what a story page shows right under its title (a rumour's verdict)."""
        return _lookup("lead", self.lead, self.key)

    def with_role(self, role: Role) -> Field | None:
        """The field of this section that plays `role`, if any."""
        return next((f for f in self.fields if f.role is role), None)

    def facets(self) -> tuple[Field, ...]:
        """This section's fields that have browsing pages."""
        return tuple(f for f in self.fields if f.facet)

    def __reduce__(self) -> tuple[object, tuple[str]]:
        # Sent between worker processes by name: the table is the same in every process.
        return (section, (self.key,))

    def field(self, key: str) -> Field | None:
        """The field named `key`, if this section has one."""
        for field in self.fields:
            if field.key == key:
                return field
        return None


def _lookup(folder: str, declared: str, key: str) -> tuple[str, ...]:
    if declared:
        return (f"{folder}/{declared}",)
    return (f"{folder}/{key}.html", f"{folder}/_default.html")


# The browsing pages by field, in the order the search page and the 404 page list them.
FACETS: tuple[Facet, ...] = (
    Facet("districts", "区县动态", "各区县妇联报送的文章，以及各区县每月开展情况。", report=True),
    Facet("tags", "标签", "按标签浏览全部文章。"),
    Facet("honours", "荣誉", "按荣誉浏览巾帼风采：三八红旗手、巾帼建功标兵、最美家庭……"),
    Facet("audiences", "适用人群", "按适用人群浏览防控知识：老年人、儿童、孕产妇……"),
)

TAG_LIMIT = 20  # tags a story may carry: each makes a page
TAG_CHARS = 30

TITLE_WARN = 64
SUMMARY_WARN = 120

COMMON_FIELDS: tuple[Field, ...] = (
    Field(
        "title",
        Kind.TEXT,
        "标题",
        f"{TITLE_WARN} 字以内（分享卡片会截断过长的标题）",
        required=True,
        warn_length=TITLE_WARN,
        wechat_length=32,
        role=Role.TITLE,
    ),
    Field(
        "date",
        Kind.DATE,
        "发布日期",
        "格式 YYYY-MM-DD（北京时间），例如 2020-02-01",
        required=True,
        role=Role.PUBLISHED,
    ),
    Field(
        "summary",
        Kind.TEXT,
        "摘要",
        f"一两句话的摘要，用于列表、分享卡片和订阅，{SUMMARY_WARN} 字以内；不写则取正文第一段。"
        "第一句就是转发到微博、微信群的文字：辟谣文章请直接写事实，不要复述谣言",
        warn_length=SUMMARY_WARN,
        wechat_length=128,
        example="一两句话说明本文要点。",
        search=Search.LEAD,
    ),
    Field(
        "tags",
        Kind.TEXT_LIST,
        "标签",
        "标签列表，可自由填写",
        example="[口罩, 个人防护]",
        search=Search.FACT,
        facet="tags",
        schema=("keywords",),
        max_items=TAG_LIMIT,
        item_chars=TAG_CHARS,
    ),
    Field(
        "district",
        Kind.TERM,
        "区县",
        "报送的区县；市级内容填 市妇联",
        vocabulary="districts",
        example="市妇联",
        search=Search.FACT,
        facet="districts",
    ),
    Field("author", Kind.TEXT, "作者", "报送单位或作者，例如 渝中区妇联", wechat_length=16, example="市妇联宣传部"),
    Field(
        "image",
        Kind.IMAGE,
        "题图",
        "图片文件名，图片放在本文件旁边或 stories/images/ 下；填写后必须同时填写 image_alt",
        example="photo.jpg",
    ),
    Field(
        "image_alt",
        Kind.TEXT,
        "题图说明",
        "用一句话描述题图内容，供视力障碍读者使用",
        example="社区工作人员为居民测量体温",
    ),
    Field("updated", Kind.DATE, "更新日期", "最近一次实质性修改的日期，格式 YYYY-MM-DD", example="2020-02-10"),
    Field(
        "status",
        Kind.TERM,
        "状态",
        "current（现行，默认）、outdated（已过时）或 withdrawn（已撤回）；过时或撤回的文章仍保留原地址并显示提示",
        vocabulary="statuses",
        example="current",
        default="current",
    ),
    Field(
        "superseded_by",
        Kind.ADDRESS,
        "替代文章",
        "过时或撤回时，填写替代它的文章地址，例如 /knowledge/wear-masks/",
        example="/knowledge/some-slug/",
    ),
    Field("draft", Kind.BOOL, "草稿", "填 true 表示草稿，不会发布到网站", example="true"),
    Field(
        "aliases",
        Kind.ADDRESS_LIST,
        "旧地址",
        "本文以前用过的地址列表，旧链接会自动跳转到本文",
        example="[/rumours/old-slug/]",
    ),
    Field(
        "slug",
        Kind.SLUG,
        "网址短名",
        "网址中的英文短名（小写字母、数字、连字符），不写则取文件名",
        example="wear-masks",
    ),
    Field(
        "corrections",
        Kind.CORRECTIONS,
        "更正记录",
        "发布后每次更正、更新或撤回都加一条，写 date（日期）、kind（更正、更新或撤回）和 note（改了什么）；"
        "已有的记录不要删改，文章顶部会列出全部记录",
        vocabulary="corrections",
        example="[{date: 2020-02-10, kind: 更正, note: 第二段的数字写错了，已改正}]",
    ),
    Field(
        "reviewers",
        Kind.REVIEWERS,
        "审核签名",
        "网站设置了审核级别（三审）时必填，草稿可以不填：每一级写一行「级别: 姓名」，例如 编辑: 张三、初审: 李四；"
        "同一个人不能签两级，签名显示在文章末尾",
        example="{编辑: 张三, 初审: 李四, 复审: 王五, 终审: 赵六}",
    ),
    Field(
        "allow_numbers",
        Kind.TEXT_LIST,
        "允许公开的号码",
        "单位对外公开的手机号码列表；写在这里的号码检查时不再报错。私人号码绝不能写",
        example="[13800138000]",
    ),
)

SOURCES_HELP = "至少一条，每条写 title（名称）和 url（网址）"

SECTIONS: tuple[Section, ...] = (
    Section(
        key="knowledge",
        label="防控知识",
        description="科学防控知识：口罩、洗手、居家护理、心理健康，以及对留守老人和儿童的关爱。",
        hashtag="#疫情防控#",
        body_hint="在这里写正文。可以用 ## 写小标题，用 - 写列表。",
        own_fields=(
            Field(
                "sources",
                Kind.SOURCES,
                "信息来源",
                SOURCES_HELP + "；须为卫生健康委、疾控中心、世界卫生组织等权威机构",
                required=True,
                role=Role.SOURCES,
                schema=("citation",),
            ),
            Field(
                "reviewed",
                Kind.DATE,
                "最近审核",
                "专家最近一次审核内容的日期，格式 YYYY-MM-DD",
                required=True,
                role=Role.REVIEWED,
                schema=("lastReviewed",),
            ),
            Field(
                "points",
                Kind.TEXT_LIST,
                "要点",
                "海报上列出的几条要点；不写则取正文的第一个列表",
                example="[出门戴口罩, 勤洗手]",
                role=Role.POINTS,
            ),
            Field(
                "reviewed_by",
                Kind.TEXT,
                "审核人",
                "审核人或机构，例如 市疾控中心专家",
                example="市疾控中心专家",
                role=Role.REVIEWED_BY,
                schema=("reviewedBy:Organization.name",),
            ),
            Field(
                "review_due",
                Kind.DATE,
                "下次审核",
                "下次必须重新审核的日期；不写则按网站设置的审核周期推算",
                example="2020-03-01",
                role=Role.REVIEW_DUE,
            ),
            Field(
                "audience",
                Kind.TEXT_LIST,
                "适用人群",
                "适用人群列表，例如 老年人、儿童、孕产妇",
                example="[老年人, 儿童]",
                search=Search.FACT,
                facet="audiences",
                schema=("audience[]:PeopleAudience.audienceType",),
                role=Role.AUDIENCE,
            ),
        ),
        schema=Schema("MedicalWebPage", omit=("articleSection",)),  # a WebPage property set does not include it
    ),
    Section(
        key="rumours",
        label="辟谣",
        description="一文一谣：网传说法、查证结论、解释和依据。不造谣、不信谣、不传谣。",
        hashtag="#不信谣不传谣#",
        body_hint="在这里写查证经过和解释：为什么这么说，权威机构怎么说。",
        badge_field="verdict",
        own_fields=(
            Field(
                "claim",
                Kind.TEXT,
                "网传说法",
                "谣言原话，通常写成问句，例如 网传喝高度白酒可以预防新冠？涉及个人时写作 某某",
                required=True,
                search=Search.LEAD,
                schema=("claimReviewed", "itemReviewed:Claim.name"),
                role=Role.CLAIM,
            ),
            Field(
                "verdict",
                Kind.TERM,
                "查证结论",
                "false（谣言）、pseudoscience（伪科学）、misleading（误导）、partly_true（部分属实）、"
                "unproven（尚无定论）或 true（属实）；也可直接写中文",
                required=True,
                vocabulary="verdicts",
                schema=("reviewRating:Rating.alternateName",),  # with the verdict's rating (verdicts.yaml)
                role=Role.VERDICT,
                alarm=True,
            ),
            Field(
                "conclusion",
                Kind.TEXT,
                "结论",
                "一句话说出事实（不要重复谣言），显示在标题下的查证结论里，也是转发文字和海报的开头；"
                "不写则取摘要的第一句",
                warn_length=48,
                example="喝酒不能预防新冠肺炎，过量饮酒反而伤身。",
                role=Role.CONCLUSION,
            ),
            Field(
                "claim_seen",
                Kind.TEXT,
                "流传情况",
                "在哪里、什么时候流传，例如 微信群，2020-02-01",
                example="微信群，2020-02-01",
                schema=(
                    "itemReviewed:Claim.appearance:CreativeWork.description",
                    "itemReviewed:Claim.datePublished~date",
                ),
                role=Role.CLAIM_SEEN,
            ),
            Field(
                "sources",
                Kind.SOURCES,
                "查证依据",
                SOURCES_HELP + "，须能支持查证结论",
                required=True,
                role=Role.SOURCES,
                schema=("citation",),
            ),
        ),
        # ClaimReview is a review, not an article; the fact-checker is the federation.
        schema=Schema("ClaimReview", omit=("headline", "articleSection"), checked_by_publisher=True),
    ),
    Section(
        key="exemplars",
        label="巾帼风采",
        description="抗疫一线的女医务人员、基层妇联干部、巾帼志愿者和最美家庭。",
        hashtag="#巾帼战疫#",
        body_hint="在这里写人物事迹。",
        own_fields=(
            Field(
                "name",
                Kind.TEXT,
                "姓名",
                "人物（或家庭、团队）的名字",
                required=True,
                search=Search.FACT,
                schema=("about:Person.name",),
                role=Role.PERSON,
            ),
            Field(
                "role",
                Kind.TEXT,
                "身份",
                "例如 护士长、社区妇联主席、巾帼志愿者",
                required=True,
                search=Search.FACT,
                schema=("about:Person.jobTitle",),
                role=Role.JOB,
            ),
            Field(
                "organisation",
                Kind.TEXT,
                "单位",
                "工作单位",
                example="某某医院",
                search=Search.FACT,
                schema=("about:Person.worksFor:Organization.name",),
                role=Role.UNIT,
            ),
            Field(
                "honours",
                Kind.HONOURS,
                "荣誉",
                "荣誉列表；每项写荣誉名称，或写 {title: 荣誉名称, year: 年份, level: 级别, issuer: 授予单位}",
                vocabulary="honours",
                example="[三八红旗手]",
                search=Search.FACT,
                facet="honours",
                schema=("about:Person.award",),
                role=Role.HONOURS,
            ),
            Field(
                "consent",
                Kind.BOOL,
                "本人同意",
                "必须填 true，表示本人已签字同意公开发表（同意书另行存档，不放入仓库）；未取得同意的事迹不能发布",
                required=True,
                role=Role.CONSENT,
                alarm=True,
            ),
        ),
        schema=Schema("NewsArticle"),
    ),
)

# Addresses under a section that listings and filters use, so no story may take them.
RESERVED_SLUGS = frozenset({"page", "verdict", "status", "index", "feed", "assets", "search", "posters"})


def facet(folder: str) -> Facet:
    """The facet whose pages live under `folder` (a field's `facet`)."""
    return next(f for f in FACETS if f.folder == folder)


def section(key: str) -> Section | None:
    """The section whose folder is `key`, if any."""
    for candidate in SECTIONS:
        if candidate.key == key:
            return candidate
    return None
