import factory
from factory.django import DjangoModelFactory
from oscar.core.loading import get_model

from exhibitors.models import CompanyStatus, Exhibitor


class PartnerFactory(DjangoModelFactory):
    name = factory.Sequence(lambda n: f"参展商 {n}")
    code = factory.Sequence(lambda n: f"partner-{n}")

    class Meta:
        model = get_model("partner", "Partner")


class ExhibitorFactory(DjangoModelFactory):
    key = factory.Sequence(lambda n: f"91411100{n:08d}AX")
    name_zh = factory.Sequence(lambda n: f"漯河测试食品有限公司{n}")
    name_en = factory.Sequence(lambda n: f"Luohe Test Foods {n}")
    province = "河南"
    city = "漯河"
    status = CompanyStatus.VERIFIED
    partner = factory.SubFactory(PartnerFactory)

    class Meta:
        model = Exhibitor
