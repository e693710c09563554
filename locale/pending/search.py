# ruff: noqa: E501 - one translation a line
"""Chinese for product search, facets and the exhibitor directory; merged into django.po later."""

T = {
    # product search page
    "Best match": "最相关",
    "Active filters": "已选筛选条件",
    "Remove this filter": "去掉此筛选条件",
    "More filters": "更多筛选",
    "Price (CNY)": "价格（元）",
    "Under ¥%(high)s": "¥%(high)s 以下",
    "¥%(low)s to ¥%(high)s": "¥%(low)s 至 ¥%(high)s",
    "¥%(low)s and more": "¥%(low)s 及以上",
    "At most %(count)s units": "起订量不超过 %(count)s",
    "MOQ %(moq)s %(unit)s": "起订 %(moq)s %(unit)s",
    "Search exhibitors instead": "改为搜索参展商",
    "Search products instead": "改为搜索商品",
    "No products match “%(query)s”.": "没有与“%(query)s”相符的商品。",
    "Did you mean:": "您是不是要找：",
    "Search for one word at a time:": "逐个词搜索：",
    "Related categories:": "相关品类：",
    "Try removing a filter, or browse the categories.": "请去掉某个筛选条件，或浏览商品分类。",
    "Try fewer or other words, or browse the categories.": "请减少或更换关键词，或浏览商品分类。",
    "Search is unavailable right now. The list below comes straight from the catalogue, without ranking or filter counts; please try again in a few minutes.": "搜索暂时不可用。下面的列表直接来自商品目录，没有相关度排序和筛选计数，请稍后再试。",
    # input we could not use
    "Your search was shortened to its first %(count)s characters.": "搜索词过长，只使用了前 %(count)s 个字符。",
    "Your search has no letters or characters to look for; showing everything.": "搜索词中没有可查找的文字，现显示全部结果。",
    "Unknown category “%(value)s”: ignored.": "未知品类“%(value)s”，已忽略。",
    "Unknown certificate “%(value)s”: ignored.": "未知认证“%(value)s”，已忽略。",
    "Unknown storage “%(value)s”: ignored.": "未知储存方式“%(value)s”，已忽略。",
    "“%(value)s” is not a valid number: ignored.": "“%(value)s”不是有效数字，已忽略。",
    # exhibitor directory
    "Exhibitor directory": "参展商名录",
    "Filters": "筛选",
    "Expo edition": "届次",
    "Search exhibitors": "搜索参展商",
    "Company, product or category, e.g. 辣条 or halal": "企业、商品或品类，例如 辣条 或 清真",
    "No exhibitors match “%(query)s”.": "没有与“%(query)s”相符的参展商。",
    "Try fewer or other words, remove a filter, or browse the product categories.": "请减少或更换关键词、去掉某个筛选条件，或浏览商品分类。",
}
