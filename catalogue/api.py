"""API views of the catalogue: the bilingual category tree."""

from oscar.core.loading import get_model
from rest_framework import generics, serializers
from rest_framework.permissions import AllowAny

Category = get_model("catalogue", "Category")


class CategorySerializer(serializers.ModelSerializer):
    parent = serializers.SerializerMethodField()

    class Meta:
        model = Category
        fields = ["slug", "parent", "name", "name_en", "depth"]

    def get_parent(self, obj) -> str | None:
        return self.context["parents"].get(obj.path[: -Category.steplen]) if obj.depth > 1 else None


class CategoryListView(generics.ListAPIView):
    """The whole category tree in tree order (slug, parent slug, Chinese and English names)."""

    serializer_class = CategorySerializer
    permission_classes = [AllowAny]
    pagination_class = None

    def get_queryset(self):
        return Category.objects.filter(is_public=True).order_by("path")

    def get_serializer_context(self):
        context = super().get_serializer_context()
        context["parents"] = dict(Category.objects.values_list("path", "slug"))
        return context
