"""The one table: each section's folder, labels, templates and front-matter fields.

Validation, the `new` templates, the editors' JSON Schema and the page templates
all read this table; no other module branches on a section's name.
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


@dataclass(frozen=True)
class Field:
    """One front-matter key: its type, whether it is required, and how editors are told of it."""

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

    @property
    def folder(self) -> str:
        """The folder under `stories/` (and the first part of every address)."""
        return self.key

    @property
    def fields(self) -> tuple[Field, ...]:
        """Every field a story of this section may carry, common ones first."""
        return COMMON_FIELDS + self.own_fields

    @property
    def header_template(self) -> str:
        """The template that draws this section's header on a story page."""
        return f"header/{self.key}.html"

    @property
    def lead_template(self) -> str:
        """The template of what a story page shows right under its title (a rumour's verdict)."""
        return f"lead/{self.key}.html"

    def __reduce__(self) -> tuple[object, tuple[str]]:
        # Sent between worker processes by name: the table is the same in every process.
        return (section, (self.key,))

    def field(self, key: str) -> Field | None:
        """The field named `key`, if this section has one."""
        for field in self.fields:
            if field.key == key:
                return field
        return None


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
    ),
    Field("date", Kind.DATE, "发布日期", "格式 YYYY-MM-DD（北京时间），例如 2020-02-01", required=True),
    Field(
        "summary",
        Kind.TEXT,
        "摘要",
        f"一两句话的摘要，用于列表、分享卡片和订阅，{SUMMARY_WARN} 字以内；不写则取正文第一段。"
        "第一句就是转发到微博、微信群的文字：辟谣文章请直接写事实，不要复述谣言",
        warn_length=SUMMARY_WARN,
        wechat_length=128,
        example="一两句话说明本文要点。",
    ),
    Field("tags", Kind.TEXT_LIST, "标签", "标签列表，可自由填写", example="[口罩, 个人防护]"),
    Field("district", Kind.TERM, "区县", "报送的区县；市级内容填 市妇联", vocabulary="districts", example="市妇联"),
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
            ),
            Field("reviewed", Kind.DATE, "最近审核", "专家最近一次审核内容的日期，格式 YYYY-MM-DD", required=True),
            Field(
                "points",
                Kind.TEXT_LIST,
                "要点",
                "海报上列出的几条要点；不写则取正文的第一个列表",
                example="[出门戴口罩, 勤洗手]",
            ),
            Field("reviewed_by", Kind.TEXT, "审核人", "审核人或机构，例如 市疾控中心专家", example="市疾控中心专家"),
            Field(
                "review_due",
                Kind.DATE,
                "下次审核",
                "下次必须重新审核的日期；不写则按网站设置的审核周期推算",
                example="2020-03-01",
            ),
            Field(
                "audience",
                Kind.TEXT_LIST,
                "适用人群",
                "适用人群列表，例如 老年人、儿童、孕产妇",
                example="[老年人, 儿童]",
            ),
        ),
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
            ),
            Field(
                "verdict",
                Kind.TERM,
                "查证结论",
                "false（谣言）、pseudoscience（伪科学）、misleading（误导）、partly_true（部分属实）、"
                "unproven（尚无定论）或 true（属实）；也可直接写中文",
                required=True,
                vocabulary="verdicts",
            ),
            Field(
                "conclusion",
                Kind.TEXT,
                "结论",
                "一句话说出事实（不要重复谣言），显示在标题下的查证结论里，也是转发文字和海报的开头；"
                "不写则取摘要的第一句",
                warn_length=48,
                example="喝酒不能预防新冠肺炎，过量饮酒反而伤身。",
            ),
            Field(
                "claim_seen",
                Kind.TEXT,
                "流传情况",
                "在哪里、什么时候流传，例如 微信群，2020-02-01",
                example="微信群，2020-02-01",
            ),
            Field("sources", Kind.SOURCES, "查证依据", SOURCES_HELP + "，须能支持查证结论", required=True),
        ),
    ),
    Section(
        key="exemplars",
        label="巾帼风采",
        description="抗疫一线的女医务人员、基层妇联干部、巾帼志愿者和最美家庭。",
        hashtag="#巾帼战疫#",
        body_hint="在这里写人物事迹。",
        own_fields=(
            Field("name", Kind.TEXT, "姓名", "人物（或家庭、团队）的名字", required=True),
            Field("role", Kind.TEXT, "身份", "例如 护士长、社区妇联主席、巾帼志愿者", required=True),
            Field("organisation", Kind.TEXT, "单位", "工作单位", example="某某医院"),
            Field(
                "honours",
                Kind.HONOURS,
                "荣誉",
                "荣誉列表；每项写荣誉名称，或写 {title: 荣誉名称, year: 年份, level: 级别, issuer: 授予单位}",
                vocabulary="honours",
                example="[三八红旗手]",
            ),
            Field(
                "consent",
                Kind.BOOL,
                "本人同意",
                "必须填 true，表示本人已签字同意公开发表（同意书另行存档，不放入仓库）；未取得同意的事迹不能发布",
                required=True,
            ),
        ),
    ),
)

# Addresses under a section that listings and filters use, so no story may take them.
RESERVED_SLUGS = frozenset({"page", "verdict", "status", "index", "feed", "assets", "search", "posters"})


def section(key: str) -> Section | None:
    """The section whose folder is `key`, if any."""
    for candidate in SECTIONS:
        if candidate.key == key:
            return candidate
    return None
