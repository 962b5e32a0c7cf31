/* Every page's module (templates/base.html): 长辈版, 站点切换 and the header's account box. */

import { startAccountBox } from "./account-box.js";
import { startElderMode } from "./elder-mode.js";
import { startSiteSwitch } from "./site-switch.js";

startElderMode();
startSiteSwitch();
startAccountBox();
