"""Review pages, added to the company centre (namespace ``company``) under ``reviews/``.

They sit flat in the company URLconf so the permission walk over company pages covers them.
"""

from django.urls import path

from . import views

company_urlpatterns = [
    path("reviews/written/", views.ReviewsWrittenView.as_view(), name="reviews-written"),
    path("reviews/received/", views.ReviewsReceivedView.as_view(), name="reviews-received"),
    path("reviews/rate/<int:pk>/", views.ReviewCreateView.as_view(), name="review-rate"),
    path("reviews/<int:pk>/answer/", views.ReviewAnswerView.as_view(), name="review-answer"),
]
