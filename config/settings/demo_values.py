"""Values that exist only for the demo and development: never imported by production."""

# The account shown for bank transfers on a demo site. ``demo`` makes every page and
# e-mail that shows it say so, and the production checks refuse it.
DEMO_BANK_TRANSFER_ACCOUNT = {
    "beneficiary": "中国（漯河）食品博览会组委会（演示账户） China Food Expo Organising Committee (demo)",
    "bank": "中国工商银行漯河分行（演示） ICBC Luohe Branch (demo)",
    "account_number": "1709 0200 0900 0000 000",
    "swift": "ICBKCNBJHEN",
    "address": "河南省漯河市源汇区 Yuanhui District, Luohe, Henan",
    "demo": True,
}
