app_name = "slums"
urlpatterns = []
