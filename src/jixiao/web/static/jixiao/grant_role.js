// 增加角色 on a user's page: the chosen role decides which units can be picked (a 县 role only
// counties …), whether the unit is required, and whether the admin confirmation applies. The
// server checks all of it again (accounts.usecases.grant_role); this only spares a refusal.
document.addEventListener("DOMContentLoaded", function () {
  var form = document.getElementById("grant-role");
  if (!form) return;
  var kinds = JSON.parse(form.getAttribute("data-kinds"));  // role -> recipient kind
  var role = form.querySelector("#f-role");
  var unit = form.querySelector("#f-unit");
  var admin = form.querySelectorAll(".admin-only");
  function sync() {
    var kind = kinds[role.value] || "";
    for (var i = 0; i < unit.options.length; i++) {
      var option = unit.options[i];
      if (option.value) option.disabled = !kind || option.getAttribute("data-kind") !== kind;
    }
    if (unit.selectedIndex > 0 && unit.options[unit.selectedIndex].disabled) unit.value = "";
    unit.required = !!kind;
    for (var j = 0; j < admin.length; j++) admin[j].hidden = role.value !== "admin";
  }
  role.addEventListener("change", sync);
  sync();
});
