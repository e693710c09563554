"""Forms of the company centre (self-service pages of exhibitors and buyers)."""

from __future__ import annotations

from decimal import Decimal

from django import forms
from django.contrib.auth import get_user_model, password_validation
from django.core.validators import MaxValueValidator
from django.utils.translation import gettext_lazy as _
from oscar.core.loading import get_model

from buyers.models import Buyer
from config.countries import CountryField

from .codes import Certification
from .models import Certificate, Exhibitor, Participation, Role, key_validator

Category = get_model("catalogue", "Category")
User = get_user_model()

# The largest whole number the database keeps in an integer column (PostgreSQL ``integer``).
MAX_WHOLE_NUMBER = 2**31 - 1

SIDES = [
    ("exhibitor", _("We exhibit and sell food (exhibitor)")),
    ("buyer", _("We buy food (buyer)")),
    ("both", _("Both")),
]


class BoundedModelChoiceField(forms.ModelChoiceField):
    """A choice of one row by id: an id too large for the database is just not a choice
    (SQLite raises OverflowError on it where Django expects ValueError)."""

    def to_python(self, value):
        try:
            return super().to_python(value)
        except OverflowError:
            raise forms.ValidationError(
                self.error_messages["invalid_choice"], code="invalid_choice", params={"value": value}
            ) from None


class BoundedModelMultipleChoiceField(forms.ModelMultipleChoiceField):
    """Several rows by id; an id too large for the database is an invalid choice, as above."""

    def _check_values(self, value):
        try:
            return super()._check_values(value)
        except OverflowError:
            digits = [str(v).strip() for v in value if str(v).strip().isdigit()]
            too_large = next((v for v in digits if int(v) > MAX_WHOLE_NUMBER), "")
            raise forms.ValidationError(
                self.error_messages["invalid_choice"], code="invalid_choice", params={"value": too_large}
            ) from None


def bound_whole_numbers(form: forms.BaseForm) -> None:
    """Give every whole-number field of a form the database's upper bound, unless it has one."""
    for form_field in form.fields.values():
        if isinstance(form_field, forms.IntegerField) and form_field.max_value is None:
            form_field.max_value = MAX_WHOLE_NUMBER
            form_field.validators.append(MaxValueValidator(MAX_WHOLE_NUMBER))
            form_field.widget.attrs.setdefault("max", MAX_WHOLE_NUMBER)


class CategoryChoiceField(BoundedModelMultipleChoiceField):
    def label_from_instance(self, category) -> str:
        return ("— " * (category.depth - 1)) + category.display_name


def category_field(label) -> CategoryChoiceField:
    return CategoryChoiceField(
        queryset=Category.objects.filter(is_public=True).order_by("path"),
        required=False,
        label=label,
        widget=forms.CheckboxSelectMultiple(attrs={"class": "fx-checks"}),
    )


class ListField(forms.CharField):
    """Words separated by ';', '；' or ',' in one box, stored as a list."""

    def prepare_value(self, value):
        return "; ".join(value) if isinstance(value, list) else value

    def to_python(self, value):
        text = (value or "").replace("；", ";").replace("，", ";").replace(",", ";")
        return [part.strip() for part in text.split(";") if part.strip()]

    def run_validators(self, value):
        # The validators (NUL characters, length) check each word, not the list's repr.
        for part in value:
            super().run_validators(part)


class CompanyRegisterForm(forms.Form):
    """Sign up (when not logged in) and create the company profile in one step."""

    email = forms.EmailField(label=_("Your e-mail"))
    password1 = forms.CharField(label=_("Password"), widget=forms.PasswordInput, strip=False)
    password2 = forms.CharField(label=_("Password again"), widget=forms.PasswordInput, strip=False)
    side = forms.ChoiceField(
        label=_("Your company"), choices=SIDES, widget=forms.RadioSelect, initial="exhibitor"
    )
    key = forms.CharField(
        label=_("Unified social credit code or registry number"),
        max_length=64,
        validators=[key_validator],
        help_text=_("18 characters for a Chinese company (统一社会信用代码); a registry number abroad."),
    )
    name_zh = forms.CharField(label=_("Company name (Chinese)"), max_length=255, required=False)
    name_en = forms.CharField(label=_("Company name (English)"), max_length=255, required=False)
    country = CountryField(label=_("Country"), initial="CN")
    province = forms.CharField(label=_("Province"), max_length=64, required=False)
    city = forms.CharField(label=_("City"), max_length=64, required=False)

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        if user is not None and user.is_authenticated:
            for name in ("email", "password1", "password2"):
                del self.fields[name]

    def clean_email(self):
        email = self.cleaned_data["email"].strip().lower()
        if User.objects.filter(email__iexact=email).exists():
            raise forms.ValidationError(_("An account with this e-mail exists already: log in first."))
        return email

    def clean_key(self):
        return self.cleaned_data["key"].strip()

    def clean(self):
        data = super().clean()
        if not data.get("name_zh") and not data.get("name_en"):
            self.add_error("name_zh", _("Give the company name in Chinese or English (or both)."))
        if "password1" in self.fields and data.get("password1"):
            if data.get("password1") != data.get("password2"):
                self.add_error("password2", _("The two passwords differ."))
            else:
                try:
                    password_validation.validate_password(data["password1"], User(email=data.get("email")))
                except forms.ValidationError as error:
                    self.add_error("password1", error)
        sides = ["exhibitor", "buyer"] if data.get("side") == "both" else [data.get("side")]
        for side, model in (("exhibitor", Exhibitor), ("buyer", Buyer)):
            if side in sides and data.get("key") and model.objects.filter(key=data["key"]).exists():
                self.add_error(
                    "key",
                    _("This company is already registered; ask its owner to invite you."),
                )
        data["sides"] = sides
        return data

    def company_data(self) -> dict:
        fields = ("key", "name_zh", "name_en", "country", "province", "city")
        return {name: self.cleaned_data.get(name, "") for name in fields}


COMPANY_FIELDS = [
    "name_zh",
    "name_en",
    "country",
    "province",
    "city",
    "description_zh",
    "description_en",
    "website",
    "contact_name",
    "contact_phone",
    "contact_email",
    "logo",
    "business_licence",
]


class ExhibitorProfileForm(forms.ModelForm):
    categories = category_field(_("What you sell"))
    country = CountryField(label=_("Country"))

    class Meta:
        model = Exhibitor
        fields = [*COMPANY_FIELDS, "categories", "prices_for_buyers_only"]
        widgets = {
            "description_zh": forms.Textarea(attrs={"rows": 4}),
            "description_en": forms.Textarea(attrs={"rows": 4}),
        }


class BuyerProfileForm(forms.ModelForm):
    interests = category_field(_("What you buy"))
    country = CountryField(label=_("Country"))
    keywords = ListField(label=_("Keywords"), required=False, help_text=_("Separate words with ';'"))
    target_markets = ListField(label=_("Where you sell"), required=False, help_text=_("Separate with ';'"))
    required_certifications = forms.MultipleChoiceField(
        label=_("Certificates every supplier must hold"),
        choices=Certification.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple(attrs={"class": "fx-checks"}),
    )

    class Meta:
        model = Buyer
        fields = [
            *COMPANY_FIELDS,
            "buyer_type",
            "interests",
            "keywords",
            "target_markets",
            "annual_volume_cny",
            "required_certifications",
        ]
        widgets = {
            "description_zh": forms.Textarea(attrs={"rows": 4}),
            "description_en": forms.Textarea(attrs={"rows": 4}),
        }

    def clean(self):
        data = super().clean()
        if not data.get("name_zh") and not data.get("name_en"):
            self.add_error("name_zh", _("Give the company name in Chinese or English (or both)."))
        return data


class CertificateForm(forms.ModelForm):
    class Meta:
        model = Certificate
        fields = ["code", "number", "issuer", "scope", "valid_until", "document"]
        widgets = {
            "valid_until": forms.DateInput(attrs={"type": "date"}),
            "scope": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args, exhibitor: Exhibitor, **kwargs):
        super().__init__(*args, **kwargs)
        self.exhibitor = exhibitor

    def clean_code(self):
        code = self.cleaned_data["code"]
        others = Certificate.objects.filter(exhibitor=self.exhibitor, code=code).exclude(pk=self.instance.pk)
        if others.exists():
            raise forms.ValidationError(
                _("You have a %(code)s certificate already: edit that one."), params={"code": code}
            )
        return code


class ParticipationForm(forms.ModelForm):
    class Meta:
        model = Participation
        fields = ["edition", "hall", "booth", "intro_zh", "intro_en", "video_url"]
        widgets = {
            "intro_zh": forms.Textarea(attrs={"rows": 4}),
            "intro_en": forms.Textarea(attrs={"rows": 4}),
        }

    def __init__(self, *args, exhibitor: Exhibitor, **kwargs):
        super().__init__(*args, **kwargs)
        self.exhibitor = exhibitor

    def clean_edition(self):
        edition = self.cleaned_data["edition"]
        if not 2003 <= edition <= 2100:
            raise forms.ValidationError(_("Give the year of the expo edition, e.g. 2026."))
        others = Participation.objects.filter(exhibitor=self.exhibitor, edition=edition).exclude(
            pk=self.instance.pk
        )
        if others.exists():
            raise forms.ValidationError(_("You have a booth at this edition already: edit it."))
        return edition


class InvitationForm(forms.Form):
    email = forms.EmailField(label=_("E-mail of the person to invite"))
    role = forms.ChoiceField(label=_("Role"), choices=Role.choices, initial=Role.STAFF)


class RoleForm(forms.Form):
    role = forms.ChoiceField(label=_("Role"), choices=Role.choices)


class PhotoForm(forms.Form):
    image = forms.ImageField(label=_("Photo"))
    caption = forms.CharField(label=_("Caption"), max_length=255, required=False)

    def clean_image(self):
        from .uploads import validate_image

        image = self.cleaned_data["image"]
        validate_image(image)
        return image


class RejectForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 3}))


class ExhibitorProductForm(forms.ModelForm):
    """A product in both languages with its B2B terms, price and stock."""

    sku = forms.CharField(label=_("SKU"), max_length=64, validators=[key_validator])
    category = BoundedModelChoiceField(
        label=_("Category"), queryset=Category.objects.filter(is_public=True).order_by("path")
    )
    price = forms.DecimalField(
        label=_("Unit price (excluding tax)"), min_value=Decimal("0.01"), max_digits=12, decimal_places=2
    )
    currency = forms.ChoiceField(label=_("Currency"), choices=[("CNY", "CNY"), ("USD", "USD")], initial="CNY")
    stock = forms.IntegerField(
        label=_("Stock sold online"),
        min_value=0,
        required=False,
        help_text=_("Empty: shown at the expo but not sold online."),
    )
    tiers = forms.CharField(
        label=_("Wholesale prices"),
        required=False,
        help_text=_("Quantity:unit price, separated by ';', e.g. 100:45.00;500:42.50"),
    )
    certifications = forms.MultipleChoiceField(
        label=_("Certificates covering this product"),
        choices=Certification.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple(attrs={"class": "fx-checks"}),
        help_text=_(
            "None ticked: all your valid certificates cover it, unless “Claims no certificate” is ticked."
        ),
    )
    image = forms.ImageField(label=_("Add a photo"), required=False)

    class Meta:
        model = get_model("catalogue", "Product")
        fields = [
            "title",
            "title_en",
            "description",
            "description_en",
            "shelf_life_days",
            "storage",
            "origin",
            "net_content",
            "unit",
            "moq",
            "sample_available",
            "sample_price",
            "certifications",
            "claims_none",
            "is_public",
        ]
        labels = {"title": _("Title (Chinese)"), "description": _("Description (Chinese)")}
        widgets = {
            "description": forms.Textarea(attrs={"rows": 4}),
            "description_en": forms.Textarea(attrs={"rows": 4}),
        }

    def __init__(self, *args, exhibitor, **kwargs):
        super().__init__(*args, **kwargs)
        self.exhibitor = exhibitor
        bound_whole_numbers(self)  # the model's own bounds are not checked: see _post_clean
        product = self.instance
        if product.pk:
            stockrecord = product.stockrecords.filter(partner=exhibitor.partner).first()
            category = product.categories.first()
            self.initial.update(
                sku=stockrecord.partner_sku if stockrecord else "",
                price=stockrecord.price if stockrecord else None,
                currency=stockrecord.price_currency if stockrecord else "CNY",
                stock=stockrecord.num_in_stock if stockrecord else None,
                category=category.pk if category else None,
                tiers=";".join(f"{t.min_quantity}:{t.unit_price}" for t in product.price_tiers.all()),
            )

    def _post_clean(self):
        # Oscar's Product.clean() wants categories saved first; the service saves them
        # with the product, and this form validates everything it needs itself.
        from django.forms.models import construct_instance

        self.instance = construct_instance(self, self.instance, self._meta.fields, self._meta.exclude)

    def clean_sku(self):
        from partner.models import StockRecord

        sku = self.cleaned_data["sku"].strip()
        clash = StockRecord.objects.filter(partner=self.exhibitor.partner, partner_sku=sku)
        if self.instance.pk:
            clash = clash.exclude(product=self.instance)
        if clash.exists():
            raise forms.ValidationError(_("You have another product with this SKU."))
        return sku

    def clean_tiers(self):
        from catalogue.services import parse_tiers

        try:
            return parse_tiers(self.cleaned_data["tiers"] or "")
        except ValueError as error:
            raise forms.ValidationError(
                _("“%(part)s” is not quantity:price (e.g. 100:45.00)."), params={"part": error.args[0]}
            ) from None

    def clean_image(self):
        from .uploads import validate_image

        image = self.cleaned_data.get("image")
        if image:
            validate_image(image)
        return image

    def clean(self):
        data = super().clean()
        if not data.get("title") and not data.get("title_en"):
            self.add_error("title", _("Give the product a title in Chinese or English."))
        if not data.get("title"):
            data["title"] = data.get("title_en", "")
        if data.get("claims_none") and data.get("certifications"):
            self.add_error(
                "claims_none",
                _("Tick the certificates that cover this product, or “Claims no certificate”, not both."),
            )
        return data


class ProductUploadForm(forms.Form):
    file = forms.FileField(
        label=_("Spreadsheet"), help_text=_("The products format: CSV (UTF-8 or GBK) or XLSX, at most 50 MB.")
    )
    atomic = forms.BooleanField(
        label=_("All or nothing: import nothing if any row is rejected"), required=False
    )
