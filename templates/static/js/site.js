/* Every page's module (templates/base.html): the region remembered for the entry pages, 长辈版, 站点切换 and the
   header's account box. */

import { startAccountBox } from "./account-box.js";
import { startElderMode } from "./elder-mode.js";
import { rememberRegion } from "./lib/regions.js";
import { startSiteSwitch } from "./site-switch.js";

rememberRegion();
startElderMode();
startSiteSwitch();
startAccountBox();
