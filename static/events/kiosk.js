// Keep the scan field focused so a keyboard-wedge scanner always types into it.
const field = document.getElementById("id_code");
if (field) {
  field.focus();
  field.select();
}
