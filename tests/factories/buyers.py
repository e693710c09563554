import factory
from factory.django import DjangoModelFactory

from buyers.models import Buyer, BuyerType
from exhibitors.models import CompanyStatus


class BuyerFactory(DjangoModelFactory):
    key = factory.Sequence(lambda n: f"92411100{n:08d}BX")
    name_zh = factory.Sequence(lambda n: f"郑州测试商贸公司{n}")
    name_en = factory.Sequence(lambda n: f"Zhengzhou Test Trading {n}")
    buyer_type = BuyerType.DISTRIBUTOR
    status = CompanyStatus.VERIFIED

    class Meta:
        model = Buyer
