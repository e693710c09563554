from django.urls import path


def boom(request):
    raise RuntimeError("deliberate failure for the error-page test")


urlpatterns = [path("boom/", boom)]
