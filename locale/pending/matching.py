# ruff: noqa: E501 - one translation a line
"""Chinese for matchmaking, sourcing requests and the weekly match e-mail; merged into django.po later."""

T = {
    # reasons of a match
    "category: %(category)s": "品类：%(category)s",
    "category: %(category)s (in %(parent)s)": "品类：%(category)s（属于 %(parent)s）",
    "certified: %(code)s": "持有认证：%(code)s",
    "storage: %(storage)s": "储存方式：%(storage)s",
    "keywords: %(words)s": "关键词：%(words)s",
    "keywords match": "关键词相符",
    "market: %(market)s": "市场：%(market)s",
    "minimum order %(moq)s within the %(quantity)s wanted": "起订量 %(moq)s，不超过所需的 %(quantity)s",
    "price %(price)s %(currency)s within the target %(target)s": "价格 %(price)s %(currency)s，不高于目标价 %(target)s",
    "exhibiting at the %(year)s expo": "参加 %(year)s 年食博会",
    "answers %(rate)s%% of enquiries, typically within %(hours)s h": "回复 %(rate)s%% 的询盘，通常在 %(hours)s 小时内",
    "answers %(rate)s%% of enquiries": "回复 %(rate)s%% 的询盘",
    "verified by the expo": "已通过食博会认证",
    # match lists
    "Buyers looking for what you sell": "正在寻找您产品的采购商",
    "Recommended suppliers": "推荐供应商",
    "Recommended suppliers for “%(title)s”": "为“%(title)s”推荐的供应商",
    "Sourcing request": "采购需求",
    "How well it fits, from 0 to 1": "匹配程度，0 到 1",
    "fit %(score)s": "匹配度 %(score)s",
    "Send a quote": "报价",
    "No matches yet. Add categories, keywords or certificates to your profile to find more.": (
        "暂无匹配。在企业资料中补充品类、关键词或认证，可找到更多。"
    ),
    "This request is closed, so no suppliers are recommended for it. Open it again to see them.": (
        "该需求已关闭，不再推荐供应商。重新开启后即可查看。"
    ),
    # sourcing requests in the company centre
    "Post a sourcing request": "发布采购需求",
    "Change the sourcing request": "修改采购需求",
    "The sourcing request %(reference)s is saved.": "采购需求 %(reference)s 已保存。",
    "The request is closed: exhibitors no longer see it.": "需求已关闭，参展商将不再看到它。",
    "The request is open again.": "需求已重新开启。",
    "The request could not be saved; try again.": "需求未能保存，请重试。",
    "This belongs to another company.": "这属于其他企业。",
    "Say what you want to buy: exhibitors who can supply it see your request, and we recommend suppliers for it.": (
        "说明您要采购什么：能供货的参展商会看到您的需求，我们也会为它推荐供应商。"
    ),
    "by": "交货期",
    "Quotes received": "收到的报价",
    "Close the request": "关闭需求",
    "Open it again": "重新开启",
    "— any —": "— 不限 —",
    "Suppliers must offer products of exactly this storage.": "供应商的产品须为此储存方式。",
    "Certificates the supplier must hold": "供应商须持有的认证",
    "In addition to those your company requires of every supplier.": "在贵公司对所有供应商的认证要求之外。",
    "A three-letter currency code, such as CNY or USD.": "三个字母的货币代码，如 CNY 或 USD。",
    "Give a number above zero, or leave it empty.": "请填写大于零的数字，或留空。",
    # the weekly e-mail of new matches
    "New matches by e-mail": "新匹配邮件提醒",
    "E-mail me new matches every week": "每周用邮件告诉我新的匹配",
    "Suppliers, buyers and sourcing requests that fit your company and are new on the platform.": (
        "平台上新出现、与贵公司相匹配的供应商、采购商和采购需求。"
    ),
    "You will get new matches by e-mail every week.": "您将每周收到新匹配邮件。",
    "You will no longer get the weekly e-mail of new matches.": "您将不再收到每周新匹配邮件。",
    "Weekly e-mail of new matches": "每周新匹配邮件",
    "weekly match e-mail": "每周匹配邮件",
    "Every Monday we can e-mail you the suppliers, buyers and sourcing requests that are new on the platform and fit your company. This is your own choice: your colleagues choose for themselves.": (
        "每周一，我们可以把平台上新出现、与贵公司相匹配的供应商、采购商和采购需求发到您的邮箱。"
        "这只是您个人的设置，同事们各自选择。"
    ),
    "Stop these e-mails": "不再接收这些邮件",
    "Switch them back on": "重新开启",
    "%(email)s gets the weekly e-mail of new matches for %(company)s again.": (
        "%(email)s 将重新收到 %(company)s 的每周新匹配邮件。"
    ),
    "%(email)s no longer gets the weekly e-mail of new matches for %(company)s.": (
        "%(email)s 将不再收到 %(company)s 的每周新匹配邮件。"
    ),
}
